package io.quasid.job.faults;

import io.quasid.schemas.SidTopicHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every committed record of one topic, as a {@code read_committed} consumer sees it, from the
 * beginning: not the compacted latest-per-key view, so a duplicate commit stays visible. A
 * background thread polls until {@link #close()}; each record is stamped with the wall-clock time
 * this consumer first saw it, which measures stalls (no new committed records for a while).
 */
public final class CommittedLog implements AutoCloseable {

  /** One committed record and when it became visible here. */
  /**
   * @param revision the record's {@code quasid.revision} header, or -1 without one
   */
  public record Entry(
      int partition, long offset, String key, byte[] value, long revision, long seenAtMillis) {}

  private final String topic;
  private final Map<String, Object> client;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Entry> entries = new ArrayList<>();
  private final Thread poller;
  private volatile boolean running = true;
  private volatile Exception lastError;

  /**
   * @param client the client settings: {@code bootstrap.servers} and any security settings
   */
  public CommittedLog(Map<String, Object> client, String topic) {
    this.topic = topic;
    this.client = Map.copyOf(client);
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    // partitionsFor answers an empty list while a just-created topic has not reached this
    // client's metadata; assigning that would read nothing, ever (seen under heavy load).
    List<TopicPartition> partitions = List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (partitions.isEmpty()) {
      partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        if (System.nanoTime() > deadline) {
          consumer.close();
          throw new IllegalStateException("topic " + topic + " has no partitions after 60 s");
        }
        sleepQuietly();
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.poller = new Thread(this::pollLoop, "committed-log-" + topic);
    poller.setDaemon(true);
    poller.start();
  }

  private void pollLoop() {
    while (running) {
      try {
        var records = consumer.poll(Duration.ofMillis(100));
        long now = System.currentTimeMillis();
        if (records.isEmpty()) {
          continue;
        }
        List<Entry> batch = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
          Header revision = r.headers().lastHeader(SidTopicHeaders.REVISION);
          long rev =
              revision == null
                  ? -1
                  : Long.parseLong(new String(revision.value(), StandardCharsets.UTF_8));
          batch.add(new Entry(r.partition(), r.offset(), key, r.value(), rev, now));
        }
        synchronized (entries) {
          entries.addAll(batch);
        }
      } catch (org.apache.kafka.common.errors.WakeupException e) {
        return;
      } catch (Exception e) {
        // The broker may be down on purpose; the consumer reconnects on the next poll.
        lastError = e;
        sleepQuietly();
      }
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String topic() {
    return topic;
  }

  /** A copy of everything read so far, in the order read (per partition: offset order). */
  public List<Entry> snapshot() {
    synchronized (entries) {
      return new ArrayList<>(entries);
    }
  }

  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /** The time of the first record seen at or after {@code millis}, or -1. */
  public long firstSeenAtOrAfter(long millis) {
    synchronized (entries) {
      for (Entry e : entries) {
        if (e.seenAtMillis() >= millis) {
          return e.seenAtMillis();
        }
      }
    }
    return -1;
  }

  /**
   * The longest time within [{@code from}, {@code to}] during which no new record became visible,
   * counting the edges of the window (the time from {@code from} to the first record in it, and
   * from the last one to {@code to}).
   */
  public static long longestGap(List<List<Entry>> logs, long from, long to) {
    List<Long> times = new ArrayList<>();
    for (List<Entry> log : logs) {
      for (Entry e : log) {
        if (e.seenAtMillis() >= from && e.seenAtMillis() <= to) {
          times.add(e.seenAtMillis());
        }
      }
    }
    times.sort(Long::compare);
    long previous = from;
    long longest = 0;
    for (long t : times) {
      longest = Math.max(longest, t - previous);
      previous = t;
    }
    return Math.max(longest, to - previous);
  }

  /**
   * For a failure message: per partition, the high watermark (read_uncommitted end) and the last
   * stable offset (read_committed end), and how many records this log has read; an LSO stuck below
   * the high watermark means an open transaction holds read_committed readers back.
   */
  public String endOffsets() {
    StringBuilder out = new StringBuilder(topic + " read " + size() + ":");
    for (String isolation : List.of("read_uncommitted", "read_committed")) {
      Map<String, Object> config = new HashMap<>(client);
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
      try (KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> partitions =
            c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        out.append(' ')
            .append(isolation)
            .append(" end ")
            .append(c.endOffsets(partitions, Duration.ofSeconds(10)));
      } catch (Exception e) {
        out.append(' ').append(isolation).append(" end ?: ").append(e);
      }
    }
    return out + (lastError == null ? "" : "; last poll error: " + lastError);
  }

  public Exception lastError() {
    return lastError;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    poller.join(10_000);
    consumer.close(Duration.ofSeconds(2));
  }
}
