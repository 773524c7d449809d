package io.quasid.job.pipeline;

import io.quasid.schemas.AvroCodec;
import io.quasid.schemas.AvroWireException;
import io.quasid.schemas.ErrorKind;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * The checks every input record passes before its type's own validation: a value is present, no
 * larger than the configured maximum, and decodes with the type's codec.
 */
final class WireEnvelope {

  private WireEnvelope() {}

  /** The decoded event, or null after handing the reason to {@code reject}. */
  static <T extends SpecificRecord> T open(
      RawRecord raw,
      AvroCodec<T> codec,
      int maxRecordBytes,
      long now,
      Consumer<RejectedRecord> reject) {
    if (raw.value == null) {
      reject.accept(RejectedRecord.of(raw, ErrorKind.UNDECODABLE, "null value", now));
      return null;
    }
    if (raw.value.length > maxRecordBytes) {
      String reason =
          raw.value.length + " bytes > max " + maxRecordBytes + " (value truncated here)";
      reject.accept(
          RejectedRecord.of(
              raw,
              RejectedRecord.prefix(raw.value, maxRecordBytes),
              ErrorKind.OVERSIZE,
              reason,
              now));
      return null;
    }
    try {
      return codec.decode(raw.value);
    } catch (AvroWireException e) {
      reject.accept(RejectedRecord.of(raw, ErrorKind.UNDECODABLE, e.getMessage(), now));
      return null;
    }
  }
}
