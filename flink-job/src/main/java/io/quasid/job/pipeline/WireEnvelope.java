package io.quasid.job.pipeline;

import io.quasid.schemas.AvroWireException;
import io.quasid.schemas.ErrorKind;
import io.quasid.schemas.FramedCodec;
import io.quasid.schemas.HeaderSchemaId;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * The checks every input record passes before its type's own validation: a value is present, no
 * larger than the configured maximum, and decodes with the type's codec (single-object or
 * schema-registry framing, waiting out a registry that cannot answer).
 */
final class WireEnvelope {

  private WireEnvelope() {}

  /**
   * Why an event time is too far in the future, or null when it is not. A future time (a producer's
   * bad clock, microseconds sent as milliseconds) would freeze an item, since the job drops every
   * later event of the item as older. "Now" is the record's Kafka timestamp, or this task manager's
   * clock where that is earlier (a producer whose clock runs ahead stamps both): with sane clocks
   * the decision depends on the record alone, so a replay decides the same.
   */
  static String futureEventTime(RawRecord raw, long eventTime, long now, long maxSkewMillis) {
    long reference = raw.timestamp >= 0 ? Math.min(raw.timestamp, now) : now;
    if (eventTime - reference <= maxSkewMillis) {
      return null;
    }
    return "event_time "
        + Instant.ofEpochMilli(eventTime)
        + " is "
        + Duration.ofMillis(eventTime - reference)
        + " ahead of "
        + (reference == now ? "the task manager's clock" : "the record's Kafka timestamp")
        + ", more than event-time.max-future-skew ("
        + Duration.ofMillis(maxSkewMillis)
        + ")";
  }

  /** The decoded event, or null after handing the reason to {@code reject}. */
  static <T extends SpecificRecord> T open(
      RawRecord raw,
      FramedCodec<T> codec,
      RegistryWait registry,
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
      return registry.decode(
          codec,
          raw.value,
          HeaderSchemaId.fromHeaders(
              raw.schemaIdHeader, raw.schemaIdHeaderValue, raw.valueEncoding));
    } catch (AvroWireException e) {
      reject.accept(RejectedRecord.of(raw, ErrorKind.UNDECODABLE, e.getMessage(), now));
      return null;
    }
  }
}
