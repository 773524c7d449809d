package io.quasid.job.pipeline;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes {@link RejectedRecord}s as Avro {@code DeadLetter}s, keyed like their source record. */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<RejectedRecord> {

  private final String topic;

  public DeadLetterSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      RejectedRecord r, KafkaSinkContext context, Long timestamp) {
    DeadLetter value =
        DeadLetter.newBuilder()
            .setSourceTopic(r.sourceTopic)
            .setSourcePartition(r.sourcePartition)
            .setSourceOffset(r.sourceOffset)
            .setRawKey(r.rawKey == null ? null : ByteBuffer.wrap(r.rawKey))
            .setRawValue(r.rawValue == null ? null : ByteBuffer.wrap(r.rawValue))
            .setErrorKind(r.kind)
            .setReason(r.reason)
            .setTime(Instant.ofEpochMilli(r.time))
            .build();
    return new ProducerRecord<>(topic, null, r.time, r.rawKey, AvroWire.DEAD_LETTERS.encode(value));
  }
}
