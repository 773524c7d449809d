package io.quasid.bench.streaming;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.AvroWireException;
import io.quasid.schemas.SidAssignment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows an output topic as downstream does (a {@code read_committed} consumer) and records, per
 * item-id prefix, when each item's first record became visible, the event-to-visible latency of
 * that record ({@code cause_event_time} to the poll that returned it), and per model version the
 * distinct items that received a record of it. Visibility is the wall clock when {@code poll}
 * returned, so it includes the checkpoint that committed the transaction.
 */
final class CommittedWatcher implements AutoCloseable {

  private final String bootstrap;
  private final String topic;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Exception failure;

  private final Map<String, PrefixStats> prefixes = new HashMap<>();
  private final Map<Long, VersionStats> versions = new HashMap<>();
  private final Set<String> seen = new HashSet<>();
  private final ThroughputSeries series;
  private final String seriesPrefix;
  private long records;

  /**
   * @param seriesPrefix the prefix whose first records feed the throughput-over-time series
   * @param startMillis time zero of that series
   */
  CommittedWatcher(String bootstrap, String topic, String seriesPrefix, long startMillis) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.seriesPrefix = seriesPrefix;
    this.series = new ThroughputSeries(startMillis);
    this.thread = new Thread(this::run, "committed-watcher-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /** First-record statistics of the items whose ids start with one prefix. */
  static final class PrefixStats {
    long count;
    long firstVisible = Long.MAX_VALUE;
    long lastVisible = Long.MIN_VALUE;

    /** Items that became visible within a second of the first: the first commit's burst. */
    long firstBurst;

    final List<Long> latencies = new ArrayList<>();

    /**
     * Items/s after the first commit: the items committed after the first burst over the time from
     * it to the last; NaN when everything came in fewer than {@code minCommits} commits {@code
     * interval} apart (one burst says nothing about a rate).
     */
    double steadyRate(long intervalMillis, int minCommits) {
      long span = lastVisible - firstVisible;
      if (count == 0 || span < intervalMillis * (minCommits - 1)) {
        return Double.NaN;
      }
      return (count - firstBurst) * 1000.0 / span;
    }

    long[] latencyArray() {
      return latencies.stream().mapToLong(Long::longValue).toArray();
    }
  }

  /** Items (of any prefix) that received a record of one model version. */
  static final class VersionStats {
    final Map<String, Long> itemsByPrefix = new HashMap<>();
    final Map<String, Long> lastVisibleByPrefix = new HashMap<>();
    final Set<String> items = new HashSet<>();
  }

  private void run() {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        long now = System.currentTimeMillis();
        if (!batch.isEmpty()) {
          synchronized (this) {
            for (ConsumerRecord<byte[], byte[]> r : batch) {
              accept(r, now);
            }
          }
        }
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> r, long now) throws AvroWireException {
    records++;
    if (r.value() == null) {
      return;
    }
    String key = new String(r.key(), StandardCharsets.UTF_8);
    SidAssignment a = AvroWire.SID_ASSIGNMENTS.decode(r.value());
    String prefix = prefixOf(key);
    if (seen.add(key)) {
      PrefixStats p = prefixes.computeIfAbsent(prefix, k -> new PrefixStats());
      p.count++;
      p.firstVisible = Math.min(p.firstVisible, now);
      if (now - p.firstVisible < 1000) {
        p.firstBurst++;
      }
      p.lastVisible = Math.max(p.lastVisible, now);
      p.latencies.add(now - a.getCauseEventTime().toEpochMilli());
      if (prefix.equals(seriesPrefix)) {
        series.add(now, 1);
      }
    }
    VersionStats v = versions.computeIfAbsent(a.getModelVersion(), k -> new VersionStats());
    if (v.items.add(key)) {
      v.itemsByPrefix.merge(prefix, 1L, Long::sum);
      v.lastVisibleByPrefix.merge(prefix, now, Math::max);
    }
  }

  /** Item ids are {@code <prefix><7 digits>}: the prefix is everything before the digits. */
  static String prefixOf(String key) {
    int end = key.length();
    while (end > 0 && Character.isDigit(key.charAt(end - 1))) {
      end--;
    }
    return key.substring(0, end);
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            5000,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class));
  }

  synchronized long count(String prefix) {
    check();
    PrefixStats p = prefixes.get(prefix);
    return p == null ? 0 : p.count;
  }

  /** A copy of the first-record statistics of {@code prefix} (empty if none arrived). */
  synchronized PrefixStats stats(String prefix) {
    check();
    PrefixStats p = prefixes.getOrDefault(prefix, new PrefixStats());
    PrefixStats copy = new PrefixStats();
    copy.count = p.count;
    copy.firstVisible = p.firstVisible;
    copy.lastVisible = p.lastVisible;
    copy.firstBurst = p.firstBurst;
    copy.latencies.addAll(p.latencies);
    return copy;
  }

  /** Distinct items of {@code prefix} with a record of {@code version}. */
  synchronized long versionCount(long version, String prefix) {
    check();
    VersionStats v = versions.get(version);
    return v == null ? 0 : v.itemsByPrefix.getOrDefault(prefix, 0L);
  }

  /**
   * When the last item of {@code prefix} got its first record of {@code version}; MIN_VALUE if none
   * did.
   */
  synchronized long versionLastVisible(long version, String prefix) {
    VersionStats v = versions.get(version);
    return v == null ? Long.MIN_VALUE : v.lastVisibleByPrefix.getOrDefault(prefix, Long.MIN_VALUE);
  }

  synchronized Set<Long> versionsSeen() {
    return new HashSet<>(versions.keySet());
  }

  synchronized long records() {
    return records;
  }

  synchronized ThroughputSeries series() {
    return series;
  }

  private void check() {
    if (failure != null) {
      throw new IllegalStateException("watcher of " + topic + " failed", failure);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }
}
