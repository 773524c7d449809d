package io.quasid.job.pipeline;

/**
 * A Kafka record exactly as read, with where it came from, so a decoder can reject it with full
 * provenance instead of failing the job.
 */
public class RawRecord {
  public String topic;
  public int partition;
  public long offset;

  /** Broker timestamp, epoch millis. */
  public long timestamp;

  public byte[] key;
  public byte[] value;

  /**
   * Apicurio's schema-id header of the value ({@code apicurio.value.globalId} or {@code
   * .contentId}) and its bytes, or null when the record has none: then the value carries its own
   * framing.
   */
  public String schemaIdHeader;

  public byte[] schemaIdHeaderValue;

  /** Apicurio's {@code apicurio.value.encoding} header, or null. */
  public String valueEncoding;

  public RawRecord() {}

  public RawRecord(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
  }

  @Override
  public String toString() {
    return "RawRecord{" + topic + "-" + partition + "@" + offset + "}";
  }
}
