package io.quasid.bench.streaming;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.AvroWireException;
import io.quasid.schemas.DeadLetter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A job's committed dead letters: how many, of which kind, and the first one's reason. Every input
 * of the streaming benchmark is valid, so each is a valid input the job rejected, and the reason is
 * what its owner needs to find why.
 *
 * @param byKind count per error kind
 * @param example the reason of the first dead letter read; empty if none
 */
record DeadLetterSummary(Map<String, Long> byKind, String example) {

  static final DeadLetterSummary NONE = new DeadLetterSummary(Map.of(), "");

  long count() {
    return byKind.values().stream().mapToLong(Long::longValue).sum();
  }

  /** A table cell: the count, then the kinds and an example reason when there are any. */
  String describe() {
    if (byKind.isEmpty()) {
      return "0";
    }
    return String.format(
        Locale.ROOT,
        "%,d (%s; e.g. \"%s\")",
        count(),
        byKind.entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", ")),
        example.replace("|", "\\|"));
  }

  /** Reads {@code topic} from the beginning to its end as a read_committed consumer. */
  static DeadLetterSummary read(String bootstrapServers, String topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<String, Long> byKind = new TreeMap<>();
      String example = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          String kind;
          String reason;
          try {
            DeadLetter letter = AvroWire.DEAD_LETTERS.decode(r.value());
            kind = letter.getErrorKind().name();
            reason = letter.getReason();
          } catch (AvroWireException e) {
            kind = "not a DeadLetter record";
            reason = e.getMessage();
          }
          byKind.merge(kind, 1L, Long::sum);
          if (example.isEmpty()) {
            example = reason;
          }
        }
      }
      return new DeadLetterSummary(byKind, example);
    }
  }
}
