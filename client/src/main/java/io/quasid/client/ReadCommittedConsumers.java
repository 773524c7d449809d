package io.quasid.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The consumers of the client's tables: read_committed, no group, every partition assigned. */
final class ReadCommittedConsumers {

  private ReadCommittedConsumers() {}

  /**
   * A consumer with {@code kafkaProperties} on top of the table's fixed settings (read_committed,
   * no auto commit); the client id defaults to {@code clientIdPrefix + topic}.
   */
  static KafkaConsumer<byte[], byte[]> create(
      String bootstrapServers,
      String topic,
      Map<String, Object> kafkaProperties,
      String clientIdPrefix) {
    Map<String, Object> config = new HashMap<>(kafkaProperties);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + topic);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Assigns every partition of {@code topic}, in partition order, and returns them.
   *
   * @throws IllegalStateException the topic has no partitions (it does not exist)
   */
  static List<TopicPartition> assignAll(
      KafkaConsumer<byte[], byte[]> consumer, String topic, Duration metadataTimeout) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, metadataTimeout);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " has no partitions (does it exist?)");
    }
    List<TopicPartition> partitions =
        infos.stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .sorted((x, y) -> Integer.compare(x.partition(), y.partition()))
            .toList();
    consumer.assign(partitions);
    return partitions;
  }
}
