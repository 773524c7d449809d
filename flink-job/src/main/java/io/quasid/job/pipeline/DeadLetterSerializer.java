package io.quasid.job.pipeline;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.DeadLetter;
import io.quasid.schemas.FramedCodec;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes {@link RejectedRecord}s as Avro {@code DeadLetter}s, keyed like their source record.
 *
 * <p>Every part of a dead letter is bounded (the key to {@code dead-letters.max-key-bytes}, the
 * value to {@code max-record-bytes} by the decoders, the reason to {@link #MAX_REASON_CHARS}), with
 * the full lengths kept beside them: a dead letter larger than the producer's maximum request fails
 * the sink, and the job would then replay the same bad record forever.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<RejectedRecord> {

  /** Reasons quote ids from the record; longer ones are cut here. */
  public static final int MAX_REASON_CHARS = 2048;

  private final String topic;
  private final int maxKeyBytes;
  private final FramedCodec<DeadLetter> codec;

  public DeadLetterSerializer(String topic, int maxKeyBytes) {
    this(topic, maxKeyBytes, FramedCodec.singleObject(AvroWire.DEAD_LETTERS));
  }

  public DeadLetterSerializer(String topic, int maxKeyBytes, FramedCodec<DeadLetter> codec) {
    this.topic = topic;
    this.maxKeyBytes = maxKeyBytes;
    this.codec = codec;
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
      throws Exception {
    codec.prepareToWrite();
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      RejectedRecord r, KafkaSinkContext context, Long timestamp) {
    byte[] key = RejectedRecord.prefix(r.rawKey, maxKeyBytes);
    DeadLetter value =
        DeadLetter.newBuilder()
            .setSourceTopic(r.sourceTopic)
            .setSourcePartition(r.sourcePartition)
            .setSourceOffset(r.sourceOffset)
            .setRawKey(key == null ? null : ByteBuffer.wrap(key))
            .setRawKeyLength(r.rawKey == null ? null : r.rawKey.length)
            .setRawValue(r.rawValue == null ? null : ByteBuffer.wrap(r.rawValue))
            .setRawValueLength(r.rawValueLength < 0 ? null : r.rawValueLength)
            .setErrorKind(r.kind)
            .setReason(bounded(r.reason))
            .setTime(Instant.ofEpochMilli(r.time))
            .build();
    return new ProducerRecord<>(topic, null, r.time, key, OutputFraming.encode(codec, value));
  }

  private static String bounded(String reason) {
    if (reason.length() <= MAX_REASON_CHARS) {
      return reason;
    }
    String cut = " ... (" + reason.length() + " chars)";
    return reason.substring(0, MAX_REASON_CHARS - cut.length()) + cut;
  }
}
