package io.quasid.job.pipeline;

import io.quasid.job.types.SourcePosition;
import io.quasid.schemas.ErrorKind;
import java.util.Arrays;

/**
 * An input record the job rejected. Travels between operators as a Flink POJO and becomes the Avro
 * {@code DeadLetter} only at the sink.
 */
public class RejectedRecord {
  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;
  public byte[] rawKey;
  public byte[] rawValue;

  /** Length of the value as read (-1: none), which {@link #rawValue} may hold only a prefix of. */
  public int rawValueLength;

  public ErrorKind kind;
  public String reason;

  /** When the record was rejected, epoch millis. */
  public long time;

  public RejectedRecord() {}

  /** Rejects {@code source} with all its bytes. */
  public static RejectedRecord of(RawRecord source, ErrorKind kind, String reason, long now) {
    return of(source, source.value, kind, reason, now);
  }

  /** Rejects {@code source}, keeping {@code value} (e.g. a truncated prefix) as its raw value. */
  public static RejectedRecord of(
      RawRecord source, byte[] value, ErrorKind kind, String reason, long now) {
    RejectedRecord r = new RejectedRecord();
    r.sourceTopic = source.topic;
    r.sourcePartition = source.partition;
    r.sourceOffset = source.offset;
    r.rawKey = source.key;
    r.rawValue = value;
    r.rawValueLength = source.value == null ? -1 : source.value.length;
    r.kind = kind;
    r.reason = reason;
    r.time = now;
    return r;
  }

  /**
   * Rejects the record read at {@code at} after its bytes were let go: the dead letter holds no raw
   * key or value, its position is where to read them.
   */
  public static RejectedRecord of(SourcePosition at, ErrorKind kind, String reason, long now) {
    RejectedRecord r = new RejectedRecord();
    r.sourceTopic = at.topic;
    r.sourcePartition = at.partition;
    r.sourceOffset = at.offset;
    r.rawValueLength = -1;
    r.kind = kind;
    r.reason = reason;
    r.time = now;
    return r;
  }

  /** Keeps at most {@code maxBytes} of an oversize key or value, so the dead letter itself fits. */
  static byte[] prefix(byte[] bytes, int maxBytes) {
    return bytes == null || bytes.length <= maxBytes ? bytes : Arrays.copyOf(bytes, maxBytes);
  }

  @Override
  public String toString() {
    return "Rejected{"
        + kind
        + " "
        + sourceTopic
        + "-"
        + sourcePartition
        + "@"
        + sourceOffset
        + ": "
        + reason
        + "}";
  }
}
