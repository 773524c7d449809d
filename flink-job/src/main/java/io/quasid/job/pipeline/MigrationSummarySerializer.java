package io.quasid.job.pipeline;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.FramedCodec;
import io.quasid.schemas.MigrationSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes {@link MigrationTotals} as Avro {@code MigrationSummary}s keyed by the model version. */
public final class MigrationSummarySerializer
    implements KafkaRecordSerializationSchema<MigrationTotals> {

  private final String topic;
  private final FramedCodec<MigrationSummary> codec;

  public MigrationSummarySerializer(String topic) {
    this(topic, FramedCodec.singleObject(AvroWire.MIGRATIONS));
  }

  public MigrationSummarySerializer(String topic, FramedCodec<MigrationSummary> codec) {
    this.topic = topic;
    this.codec = codec;
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
      throws Exception {
    codec.prepareToWrite();
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      MigrationTotals t, KafkaSinkContext context, Long timestamp) {
    MigrationSummary value =
        MigrationSummary.newBuilder()
            .setModelVersion(t.modelVersion)
            .setOutcome(t.outcome)
            .setItemsReEncoded(t.reEncoded)
            .setItemsMoved(t.moved)
            .setItemsKeptByChurnPolicy(t.keptByPolicy)
            .setChurnPolicy(t.churnPolicy)
            .setWentLiveAt(Instant.ofEpochMilli(t.wentLiveAt))
            .setSummarisedAt(Instant.ofEpochMilli(t.summarisedAt))
            .setItemsMoveCap(t.moveCap >= 0 ? t.moveCap : null)
            .build();
    byte[] key = Long.toString(t.modelVersion).getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(
        topic, null, t.summarisedAt, key, OutputFraming.encode(codec, value));
  }
}
