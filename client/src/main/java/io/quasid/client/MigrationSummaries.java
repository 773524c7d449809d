package io.quasid.client;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.AvroWireException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migrations topic ({@code topic.sid-migrations}) as a map from model version to its {@link
 * PublishedMigration}, kept up to date by a read_committed consumer on a background thread. The
 * topic holds one small record per version, so the table reads it from the beginning on every start
 * and needs no snapshot. A listener hears of each version as it arrives: the moment to remap
 * embeddings or schedule a retrain.
 *
 * <pre>{@code
 * try (MigrationSummaries migrations =
 *     MigrationSummaries.start("kafka:9092", "sid-migrations", Map.of(), m -> retrain.offer(m))) {
 *   PublishedMigration v3 = migrations.await(3, Duration.ofMinutes(10));
 * }
 * }</pre>
 */
public final class MigrationSummaries implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationSummaries.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Consumer<PublishedMigration> listener;
  private final NavigableMap<Long, PublishedMigration> byVersion = new TreeMap<>();
  private final AtomicLong undecodable = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  private MigrationSummaries(
      String bootstrapServers,
      String topic,
      Map<String, Object> kafkaProperties,
      Consumer<PublishedMigration> listener) {
    this.listener = listener;
    this.consumer =
        ReadCommittedConsumers.create(
            bootstrapServers, topic, kafkaProperties, "quasid-sid-migrations-");
    try {
      consumer.seekToBeginning(
          ReadCommittedConsumers.assignAll(consumer, topic, Duration.ofSeconds(60)));
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    this.thread = new Thread(this::run, "sid-migrations-" + topic);
    thread.setDaemon(true);
  }

  /**
   * Starts reading {@code topic} from the beginning.
   *
   * @param kafkaProperties consumer settings on top (security, timeouts); isolation is always
   *     read_committed
   * @param listener called on the poll thread for every summary read, in topic order
   */
  public static MigrationSummaries start(
      String bootstrapServers,
      String topic,
      Map<String, Object> kafkaProperties,
      Consumer<PublishedMigration> listener) {
    MigrationSummaries summaries =
        new MigrationSummaries(bootstrapServers, topic, kafkaProperties, listener);
    summaries.thread.start();
    return summaries;
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          PublishedMigration m;
          try {
            m = PublishedMigration.fromAvro(AvroWire.MIGRATIONS.decode(r.value()));
          } catch (AvroWireException | NullPointerException e) {
            undecodable.incrementAndGet();
            LOG.warn("Skipping record {} of {}: {}", r.offset(), r.topic(), e.getMessage());
            continue;
          }
          synchronized (byVersion) {
            byVersion.put(m.version(), m);
            byVersion.notifyAll();
          }
          try {
            listener.accept(m);
          } catch (RuntimeException e) {
            LOG.warn("Migration listener failed on v{}", m.version(), e);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  /** The summary of {@code version}, if read yet. */
  public Optional<PublishedMigration> get(long version) {
    synchronized (byVersion) {
      return Optional.ofNullable(byVersion.get(version));
    }
  }

  /** Every summary read so far, by version. */
  public NavigableMap<Long, PublishedMigration> all() {
    synchronized (byVersion) {
      return Collections.unmodifiableNavigableMap(new TreeMap<>(byVersion));
    }
  }

  /** Waits until the summary of {@code version} has been read. */
  public PublishedMigration await(long version, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (byVersion) {
      while (!byVersion.containsKey(version)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !thread.isAlive()) {
          throw new TimeoutException("no migration summary of v" + version + " within " + timeout);
        }
        byVersion.wait(Math.max(1, left / 1_000_000));
      }
      return byVersion.get(version);
    }
  }

  /** Records that were not a decodable {@code MigrationSummary}, skipped and logged. */
  public long undecodableRecords() {
    return undecodable.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
