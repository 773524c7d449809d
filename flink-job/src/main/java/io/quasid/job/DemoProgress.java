package io.quasid.job;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.AvroWireException;
import io.quasid.schemas.SidAssignment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the SID topic as a read_committed consumer (what downstream sees), prints progress, and
 * summarises the compacted view at the end.
 */
final class DemoProgress {

  private static final Duration SETTLE = Duration.ofSeconds(10);
  private static final String READER_HINT = "io.quasid.client.SidTable";
  private static final String MIGRATIONS_HINT = "io.quasid.client.MigrationSummaries";

  private final String bootstrap;
  private final String topic;
  private final int expectedItems;
  private final Map<String, SidAssignment> latest = new HashMap<>();
  private final List<Long> visibleLatencies = new ArrayList<>();
  private long lastAssignedAt;

  DemoProgress(String bootstrap, String topic, int expectedItems) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.expectedItems = expectedItems;
  }

  /**
   * Returns once every item holds a committed SID and, unless {@code versionWait} passes first,
   * some SID comes from model version {@code minVersion} or later; fails if the job ends or time
   * runs out.
   */
  void awaitAllAssigned(JobClient job, Duration timeout, long minVersion, Duration versionWait)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long versionDeadline = System.nanoTime() + versionWait.toNanos();
    long nextReport = 0;
    long firstSeenAt = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = readCommittedConsumer(bootstrap)) {
      fromBeginning(consumer, topic);
      while (live() < expectedItems
          || (newestVersion() < minVersion && System.nanoTime() < versionDeadline)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          String key = new String(r.key(), StandardCharsets.UTF_8);
          SidAssignment a = r.value() == null ? null : decode(r.value());
          latest.put(key, a);
          lastAssignedAt = Math.max(lastAssignedAt, r.timestamp());
          if (a != null) {
            visibleLatencies.add(System.currentTimeMillis() - a.getCauseEventTime().toEpochMilli());
          }
        }
        if (firstSeenAt == 0 && live() > 0) {
          firstSeenAt = System.nanoTime();
        }
        if (System.nanoTime() > nextReport) {
          System.out.print("\r" + progressLine(firstSeenAt, job.getJobStatus().get().toString()));
          System.out.flush();
          nextReport = System.nanoTime() + Duration.ofMillis(500).toNanos();
        }
        if (job.getJobStatus().get().isGloballyTerminalState()) {
          throw new IllegalStateException("the job ended: " + job.getJobStatus().get());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "not every item got an SID from model v" + minVersion + "+ within " + timeout);
        }
      }
      System.out.println("\r" + progressLine(firstSeenAt, "done"));
      if (newestVersion() < minVersion) {
        System.out.printf(
            "  No version above v%d passed the trainer's quality gate within %s: the live model"
                + " stays (the trainer's log lines above show each candidate's collision rate).%n",
            newestVersion(), versionWait);
      }
      // A new version is applied in a burst of changed SIDs: summarise after the burst, not
      // half-way through it.
      long quietSince = System.nanoTime();
      while (System.nanoTime() - quietSince < SETTLE.toNanos() && System.nanoTime() < deadline) {
        if (!consumer.poll(Duration.ofMillis(500)).isEmpty()) {
          quietSince = System.nanoTime();
        }
      }
    }
  }

  /**
   * A consumer that sees only committed records, as downstream consumers should (the broker ITCases
   * read the job's topics with it too).
   */
  static KafkaConsumer<byte[], byte[]> readCommittedConsumer(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class));
  }

  /** Assigns every partition of the topic, positioned at its start. */
  static List<TopicPartition> fromBeginning(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .collect(Collectors.toList());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions;
  }

  /**
   * Re-reads the whole topic up to the last stable offset of every partition. While following the
   * topic, partitions advance at different paces, so a view taken mid-way can pair one item's new
   * SID with another item's not-yet-read move out of the same bucket; the complete view cannot.
   */
  void reloadToEnd() {
    latest.clear();
    try (KafkaConsumer<byte[], byte[]> consumer = readCommittedConsumer(bootstrap)) {
      List<TopicPartition> partitions = fromBeginning(consumer, topic);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          String key = new String(r.key(), StandardCharsets.UTF_8);
          latest.put(key, r.value() == null ? null : decode(r.value()));
        }
      }
    }
  }

  /** One line, redrawn in place: a bar, the count, the rate since the first SID, an ETA. */
  private String progressLine(long firstSeenAt, String status) {
    long done = live();
    double fraction = Math.min(1.0, done / (double) Math.max(1, expectedItems));
    int width = 30;
    int filled = (int) Math.round(fraction * width);
    double seconds = firstSeenAt == 0 ? 0 : (System.nanoTime() - firstSeenAt) / 1e9;
    double rate = seconds > 0.5 ? done / seconds : 0;
    String eta =
        done >= expectedItems
            ? "0 s"
            : rate > 0 ? String.format("%.0f s", (expectedItems - done) / rate) : "-";
    return String.format(
        "  [%s%s] %,6d / %,d SIDs  %,6.0f items/s  ETA %-6s v%d  %-10s",
        "#".repeat(filled),
        ".".repeat(width - filled),
        done,
        expectedItems,
        rate,
        eta,
        Math.max(0, newestVersion()),
        status);
  }

  /** A few live SIDs and how to follow the topic from a service. */
  String examples(String sidTopic, String migrationsTopic, int n) {
    StringBuilder out =
        new StringBuilder("Example SIDs (codes coarse to fine, then /dedup suffix):\n");
    latest.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .sorted(Map.Entry.comparingByKey())
        .limit(n)
        .forEach(
            e ->
                out.append(
                    String.format(
                        "  item %-12s -> %-14s model v%d, revision %d%n",
                        e.getKey(),
                        e.getValue().getSid(),
                        e.getValue().getModelVersion(),
                        e.getValue().getRevision())));
    out.append(
        String.format(
            "Read it from a service: %s (topic '%s', read_committed), artifact quasid-client;"
                + " see client/README.md.%nWhat each model version moved: %s (topic '%s').",
            READER_HINT, sidTopic, MIGRATIONS_HINT, migrationsTopic));
    return out.toString();
  }

  private long newestVersion() {
    return latest.values().stream()
        .filter(a -> a != null)
        .mapToLong(SidAssignment::getModelVersion)
        .max()
        .orElse(-1);
  }

  private long live() {
    return latest.values().stream().filter(a -> a != null).count();
  }

  String summary(long startedAt) {
    List<SidAssignment> live = latest.values().stream().filter(a -> a != null).toList();
    Map<String, Long> buckets =
        live.stream()
            .collect(Collectors.groupingBy(a -> a.getCodes().toString(), Collectors.counting()));
    long colliding = buckets.values().stream().filter(n -> n > 1).mapToLong(n -> n).sum();
    long largest = buckets.values().stream().mapToLong(n -> n).max().orElse(0);
    long[] latencies =
        live.stream()
            .mapToLong(
                a -> a.getAssignedTime().toEpochMilli() - a.getCauseEventTime().toEpochMilli())
            .sorted()
            .toArray();
    double seconds = Math.max(1, lastAssignedAt - startedAt) / 1000.0;
    long[] visible = visibleLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
    long distinctSids = live.stream().map(SidAssignment::getSid).distinct().count();
    return String.join(
        "\n",
        "QuaSID Stream demo summary",
        String.format("  items with an SID        %,d", live.size()),
        String.format(
            "  distinct SIDs            %,d (unique: %s)",
            distinctSids, distinctSids == live.size()),
        String.format("  distinct code tuples     %,d", buckets.size()),
        String.format(
            "  model versions           v%d newest among live SIDs",
            live.stream().mapToLong(SidAssignment::getModelVersion).max().orElse(0)),
        String.format(
            "  collision rate           %.2f%% of items share their code tuple",
            100.0 * colliding / Math.max(1, live.size())),
        String.format("  largest bucket           %d items", largest),
        String.format(
            "  throughput               %,.0f items/s (%.1f s from job start to last SID)",
            live.size() / seconds, seconds),
        String.format(
            "  latency event->assigned  p50 %d ms, p99 %d ms",
            percentile(latencies, 0.50), percentile(latencies, 0.99)),
        String.format(
            "  latency event->visible   p50 %d ms, p99 %d ms (read_committed consumer)",
            percentile(visible, 0.50), percentile(visible, 0.99)));
  }

  private static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static SidAssignment decode(byte[] value) {
    try {
      return AvroWire.SID_ASSIGNMENTS.decode(value);
    } catch (AvroWireException e) {
      throw new IllegalStateException("undecodable SID record", e);
    }
  }

  @Override
  public String toString() {
    return "DemoProgress{" + topic + ", " + expectedItems + " items}";
  }
}
