package io.quasid.job.types;

import java.util.Objects;

/** Where a Kafka record was read: enough to find it again (a Flink POJO). */
public class SourcePosition {
  public String topic;
  public int partition;
  public long offset;

  public SourcePosition() {}

  public SourcePosition(String topic, int partition, long offset) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourcePosition p
        && partition == p.partition
        && offset == p.offset
        && Objects.equals(topic, p.topic);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
