package io.quasid.job;

import io.quasid.job.config.InputOptions;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RegistryOptions;
import io.quasid.job.pipeline.DeadLetterSerializer;
import io.quasid.job.pipeline.MigrationSummarySerializer;
import io.quasid.job.pipeline.MigrationTotals;
import io.quasid.job.pipeline.RawRecord;
import io.quasid.job.pipeline.RawRecordDeserializer;
import io.quasid.job.pipeline.RejectedRecord;
import io.quasid.job.pipeline.SidAssignmentSerializer;
import io.quasid.job.pipeline.SidUpdate;
import io.quasid.schemas.AvroWire;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The job's Kafka sources and exactly-once sinks, built from {@link QuasidJobOptions}. */
public final class KafkaConnectors {

  private KafkaConnectors() {}

  public static KafkaSource<RawRecord> itemSource(QuasidJobOptions o) {
    return source(o, o.get(KafkaOptions.ITEMS_TOPIC));
  }

  public static KafkaSource<RawRecord> interactionSource(QuasidJobOptions o) {
    return source(o, o.get(KafkaOptions.INTERACTIONS_TOPIC));
  }

  public static KafkaSink<SidUpdate> sidSink(QuasidJobOptions o) {
    return sink(
        o,
        new SidAssignmentSerializer(
            o.get(KafkaOptions.SID_TOPIC),
            RegistryOptions.output(o, AvroWire.SID_ASSIGNMENTS, o.get(KafkaOptions.SID_TOPIC))),
        o.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX) + "-sid",
        o.get(KafkaOptions.SID_DELIVERY));
  }

  public static KafkaSink<RejectedRecord> deadLetterSink(QuasidJobOptions o) {
    return sink(
        o,
        new DeadLetterSerializer(
            o.get(KafkaOptions.DEAD_LETTER_TOPIC),
            o.get(InputOptions.DEAD_LETTER_MAX_KEY_BYTES),
            RegistryOptions.output(
                o, AvroWire.DEAD_LETTERS, o.get(KafkaOptions.DEAD_LETTER_TOPIC))),
        o.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX) + "-dlq",
        DeliveryGuarantee.EXACTLY_ONCE);
  }

  /** Exactly once whatever {@code sink.sid-delivery} says: one record per model version. */
  public static KafkaSink<MigrationTotals> migrationSink(QuasidJobOptions o) {
    return sink(
        o,
        new MigrationSummarySerializer(
            o.get(KafkaOptions.MIGRATIONS_TOPIC),
            RegistryOptions.output(o, AvroWire.MIGRATIONS, o.get(KafkaOptions.MIGRATIONS_TOPIC))),
        o.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX) + "-migrations",
        DeliveryGuarantee.EXACTLY_ONCE);
  }

  private static KafkaSource<RawRecord> source(QuasidJobOptions o, String topic) {
    Properties props = o.kafkaClientProperties();
    // Upstream producers may be transactional too: never read their aborted records.
    props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    OffsetsInitializer start =
        switch (o.get(KafkaOptions.START_OFFSETS)) {
          case EARLIEST -> OffsetsInitializer.earliest();
          case LATEST -> OffsetsInitializer.latest();
          case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(o.get(KafkaOptions.BOOTSTRAP_SERVERS))
        .setTopics(topic)
        .setGroupId(o.get(KafkaOptions.GROUP_ID))
        .setProperties(props)
        .setStartingOffsets(start)
        .setDeserializer(new RawRecordDeserializer())
        .build();
  }

  private static <T> KafkaSink<T> sink(
      QuasidJobOptions o,
      KafkaRecordSerializationSchema<T> serializer,
      String transactionalId,
      DeliveryGuarantee guarantee) {
    Properties props = o.kafkaClientProperties();
    if (guarantee == DeliveryGuarantee.AT_LEAST_ONCE) {
      // Low-latency mode: records leave within linger.ms instead of at the next checkpoint.
      props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
    }
    // Below the brokers' default transaction.max.timeout.ms (15 min), which refuses Flink's own
    // default (1 h); validated to be at least twice the checkpoint timeout.
    props.setProperty(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
        Long.toString(o.transactionTimeout().toMillis()));
    return KafkaSink.<T>builder()
        .setBootstrapServers(o.get(KafkaOptions.BOOTSTRAP_SERVERS))
        .setKafkaProducerConfig(props)
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(guarantee)
        .setTransactionalIdPrefix(transactionalId)
        .build();
  }
}
