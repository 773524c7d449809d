package io.quasid.client;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.AvroWireException;
import io.quasid.schemas.FramedCodec;
import io.quasid.schemas.SchemaRegistry;
import io.quasid.schemas.SchemaRegistry.RegistryUnavailableException;
import io.quasid.schemas.SidAssignment;
import io.quasid.schemas.SidTopicHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SID topic as an in-memory table, kept current by a background thread: a read_committed
 * consumer assigned to every partition of the topic (no consumer group) reads from the beginning,
 * or from the offsets of a {@linkplain Builder#restore(Path) restored snapshot}, and applies each
 * poll's records as one batch to a {@link SidIndex} (newest revision per item wins, so duplicates
 * and reordering are harmless). Reads are thread-safe and see whole batches; {@link
 * #read(Function)} runs several lookups against one consistent state.
 *
 * <pre>{@code
 * try (SidTable table = SidTable.builder("kafka:9092", "sid-assignments").start()) {
 *   table.awaitCaughtUp(Duration.ofMinutes(1));
 *   Optional<String> sid = table.sidOf("B00123");
 * }
 * }</pre>
 *
 * <p>Partitions added to the topic after {@link Builder#start()} are not read.
 */
public final class SidTable implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SidTable.class);

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final Duration pollTimeout;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final SidIndex index;
  private final int retainedMigrationVersions;
  private final Map<Integer, Long> offsets;
  private final boolean restoredFromSnapshot;
  private final List<SidTableListener> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<CatchUp> catchUpRequests = new ConcurrentLinkedQueue<>();
  private final List<CatchUp> pendingCatchUps = new ArrayList<>();
  private final AtomicLong undecodable = new AtomicLong();
  private final FramedCodec<SidAssignment> codec;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  /** A waiter for the end offsets as of its request. */
  private static final class CatchUp {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    Map<TopicPartition, Long> target;
  }

  private SidTable(Builder b, SidSnapshot restored) {
    this.topic = b.topic;
    this.pollTimeout = b.pollTimeout;
    this.retainedMigrationVersions = b.retainedMigrationVersions;
    this.listeners.addAll(b.listeners);
    this.index =
        restored == null
            ? new SidIndex(retainedMigrationVersions)
            : SidIndex.restore(restored.state(), retainedMigrationVersions);
    this.offsets = restored == null ? new HashMap<>() : new HashMap<>(restored.offsets());
    this.restoredFromSnapshot = restored != null;
    this.codec =
        b.registryUrl == null
            ? FramedCodec.singleObject(AvroWire.SID_ASSIGNMENTS)
            : FramedCodec.singleObject(AvroWire.SID_ASSIGNMENTS)
                .readingRegistry(new SchemaRegistry(b.registryUrl, b.registryTimeout));
    this.consumer =
        ReadCommittedConsumers.create(b.bootstrapServers, topic, b.kafka, "quasid-sid-table-");
    try {
      this.partitions = ReadCommittedConsumers.assignAll(consumer, topic, b.metadataTimeout);
      for (TopicPartition tp : partitions) {
        Long next = offsets.get(tp.partition());
        if (next == null) {
          consumer.seekToBeginning(List.of(tp));
        } else {
          consumer.seek(tp, next);
        }
      }
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    this.thread = new Thread(this::run, "sid-table-" + topic);
    thread.setDaemon(true);
  }

  /** A table of {@code topic} on the brokers {@code bootstrapServers}. */
  public static Builder builder(String bootstrapServers, String topic) {
    return new Builder(bootstrapServers, topic);
  }

  /** Options of a {@link SidTable}. */
  public static final class Builder {
    private final String bootstrapServers;
    private final String topic;
    private final Map<String, Object> kafka = new HashMap<>();
    private final List<SidTableListener> listeners = new ArrayList<>();
    private Path restoreFrom;
    private Duration pollTimeout = Duration.ofMillis(200);
    private Duration metadataTimeout = Duration.ofSeconds(60);
    private int retainedMigrationVersions = SidIndex.DEFAULT_RETAINED_MIGRATION_VERSIONS;
    private String registryUrl;
    private Duration registryTimeout = Duration.ofSeconds(5);

    private Builder(String bootstrapServers, String topic) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      this.topic = Objects.requireNonNull(topic, "topic");
    }

    /**
     * A consumer property (security settings, timeouts). {@code isolation.level} is always
     * read_committed and auto commit is off.
     */
    public Builder kafkaProperty(String key, Object value) {
      kafka.put(key, value);
      return this;
    }

    /**
     * Starts from this snapshot ({@link SidTable#snapshot(Path)}) instead of the beginning. No file
     * there, or one that cannot be read (truncated, corrupt), means a replay of the topic from the
     * beginning (a bad file is moved aside to {@code <file>.corrupt-<epoch millis>} and logged);
     * {@link SidTable#restoredFromSnapshot()} says which happened.
     */
    public Builder restore(Path snapshotFile) {
      this.restoreFrom = snapshotFile;
      return this;
    }

    /** A listener that sees every batch from the first one on. */
    public Builder listener(SidTableListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The longest one poll waits for records (default 200 ms). */
    public Builder pollTimeout(Duration timeout) {
      this.pollTimeout = timeout;
      return this;
    }

    /** How long {@link #start()} waits for the topic's partitions (default 60 s). */
    public Builder metadataTimeout(Duration timeout) {
      this.metadataTimeout = timeout;
      return this;
    }

    /**
     * Reads values in schema-registry framing too (the job's {@code sink.value-framing=registry}),
     * writer schemas from the registry at {@code url} (Confluent's REST API; Apicurio: {@code
     * .../apis/ccompat/v7}). While the registry cannot answer, the table waits and retries rather
     * than skip an assignment.
     */
    public Builder schemaRegistry(String url, Duration requestTimeout) {
      this.registryUrl = Objects.requireNonNull(url, "url");
      this.registryTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
      new SchemaRegistry(url, requestTimeout); // fails now on a malformed URL
      return this;
    }

    /** Model versions whose migration is kept (default 16, the newest). */
    public Builder retainedMigrationVersions(int versions) {
      this.retainedMigrationVersions = versions;
      return this;
    }

    /**
     * Reads the snapshot if one was given, assigns every partition of the topic and starts the poll
     * thread.
     *
     * @throws IOException never since a bad snapshot means a replay; kept for source compatibility
     * @throws IllegalArgumentException the snapshot is of another topic (a configuration error)
     * @throws IllegalStateException the topic has no partitions
     */
    public SidTable start() throws IOException {
      SidSnapshot restored = null;
      if (restoreFrom != null) {
        restored = SidSnapshot.readIfUsable(restoreFrom).orElse(null);
        if (restored != null && !restored.topic().equals(topic)) {
          throw new IllegalArgumentException(
              restoreFrom + " is a snapshot of topic " + restored.topic() + ", not " + topic);
        }
      }
      SidTable table = new SidTable(this, restored);
      table.thread.start();
      return table;
    }
  }

  private void run() {
    try {
      while (running) {
        for (CatchUp c; (c = catchUpRequests.poll()) != null; ) {
          c.target = consumer.endOffsets(partitions);
          pendingCatchUps.add(c);
        }
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(pollTimeout);
        List<SidTopicRecord> records = decode(polled);
        if (records == null) {
          break;
        }
        Map<Integer, Long> positions = new HashMap<>();
        Map<TopicPartition, Long> tpPositions = new HashMap<>();
        for (TopicPartition tp : partitions) {
          long p = consumer.position(tp);
          positions.put(tp.partition(), p);
          tpPositions.put(tp, p);
        }
        SidBatch batch = null;
        lock.writeLock().lock();
        try {
          if (!records.isEmpty()) {
            batch = index.apply(records);
          }
          offsets.putAll(positions);
        } finally {
          lock.writeLock().unlock();
        }
        if (batch != null) {
          dispatch(batch);
        }
        pendingCatchUps.removeIf(
            c -> {
              boolean reached =
                  c.target.entrySet().stream()
                      .allMatch(e -> tpPositions.getOrDefault(e.getKey(), 0L) >= e.getValue());
              if (reached) {
                c.done.complete(null);
              }
              return reached;
            });
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
      }
    } catch (Throwable t) {
      failure = t;
      LOG.error("SID table of {} stopped", topic, t);
    } finally {
      running = false;
      consumer.close();
      IllegalStateException closed = new IllegalStateException("SID table closed", failure);
      pendingCatchUps.forEach(c -> c.done.completeExceptionally(closed));
      for (CatchUp c; (c = catchUpRequests.poll()) != null; ) {
        c.done.completeExceptionally(closed);
      }
    }
  }

  /** The poll's records, or null when the table was closed while waiting for the registry. */
  private List<SidTopicRecord> decode(ConsumerRecords<byte[], byte[]> polled) {
    List<SidTopicRecord> out = new ArrayList<>(polled.count());
    for (ConsumerRecord<byte[], byte[]> r : polled) {
      if (r.key() == null) {
        skip(r, "no key");
        continue;
      }
      String item = new String(r.key(), StandardCharsets.UTF_8);
      Long headerRevision = revisionHeader(r);
      if (r.value() == null) {
        out.add(SidTopicRecord.tombstone(item, headerRevision == null ? 0 : headerRevision));
        continue;
      }
      SidAssignment a;
      try {
        a = decodeWaitingForRegistry(r.value());
      } catch (AvroWireException e) {
        skip(r, e.getMessage());
        continue;
      }
      if (a == null) {
        return null; // closed while the registry was down: apply nothing of this poll
      }
      if (!a.getItemId().equals(item)) {
        skip(r, "key " + item + " but item_id " + a.getItemId());
        continue;
      }
      long revision = headerRevision != null ? headerRevision : a.getRevision();
      out.add(SidTopicRecord.assignment(SidRecord.fromAvro(a, revision)));
    }
    return out;
  }

  /** Null when the table was closed while waiting. */
  private SidAssignment decodeWaitingForRegistry(byte[] value) throws AvroWireException {
    long backoff = 100;
    while (running) {
      try {
        return codec.decode(value);
      } catch (RegistryUnavailableException e) {
        LOG.warn("Schema registry unavailable, retrying in {} ms: {}", backoff, e.getMessage());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return null;
        }
        backoff = Math.min(2 * backoff, 5_000);
      }
    }
    return null;
  }

  private void skip(ConsumerRecord<byte[], byte[]> r, String reason) {
    long n = undecodable.incrementAndGet();
    if (n <= 10 || Long.bitCount(n) == 1) {
      LOG.warn(
          "Skipping record {}-{}@{} ({} skipped so far): {}",
          r.topic(),
          r.partition(),
          r.offset(),
          n,
          reason);
    }
  }

  private static Long revisionHeader(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader(SidTopicHeaders.REVISION);
    if (h == null || h.value() == null) {
      return null;
    }
    try {
      return Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void dispatch(SidBatch batch) {
    for (SidTableListener l : listeners) {
      try {
        l.onBatch(batch);
        for (SidChange c : batch.changes()) {
          switch (c.kind()) {
            case ASSIGNED -> l.onAssigned(c.after());
            case MOVED -> l.onMoved(c.before(), c.after());
            case REMOVED -> l.onRemoved(c.before());
            case UPDATED -> {}
          }
        }
        batch.migrations().forEach(l::onMigration);
        if (!batch.delta().isEmpty()) {
          l.onPrefixDelta(batch.delta());
        }
      } catch (RuntimeException e) {
        LOG.warn("SID table listener {} failed on batch {}", l, batch.sequence(), e);
      }
    }
  }

  /**
   * Waits until the table has read every partition up to its end as of this call (the last stable
   * offset: every transaction committed before the call).
   *
   * @return false on timeout
   * @throws IllegalStateException the table is closed or its poll thread failed
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    CatchUp c = new CatchUp();
    if (!running) {
      throw new IllegalStateException("SID table closed", failure);
    }
    catchUpRequests.add(c);
    if (!running && catchUpRequests.remove(c)) {
      throw new IllegalStateException("SID table closed", failure);
    }
    try {
      c.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw (IllegalStateException) e.getCause();
    }
  }

  /**
   * Writes the table and the next offset of every partition to {@code file} (atomically replaced).
   * {@link Builder#restore(Path)} continues from it without replaying the topic.
   */
  public void snapshot(Path file) throws IOException {
    SidSnapshot s;
    lock.readLock().lock();
    try {
      s = new SidSnapshot(topic, new HashMap<>(offsets), index.exportState());
    } finally {
      lock.readLock().unlock();
    }
    s.write(file);
  }

  /**
   * Runs {@code query} against one consistent state (no batch is applied meanwhile). It must not
   * keep the index or call {@link SidIndex#apply}.
   */
  public <T> T read(Function<SidIndex, T> query) {
    lock.readLock().lock();
    try {
      return query.apply(index);
    } finally {
      lock.readLock().unlock();
    }
  }

  public Optional<SidRecord> get(String itemId) {
    return read(i -> i.get(itemId));
  }

  public Optional<String> sidOf(String itemId) {
    return read(i -> i.sidOf(itemId));
  }

  /** See {@link SidIndex#itemOf(String)}. */
  public Optional<String> itemOf(String sid) {
    return read(i -> i.itemOf(sid));
  }

  public Set<String> itemsOf(String sid) {
    return read(i -> i.itemsOf(sid));
  }

  public Set<String> itemsWithPrefix(int... codes) {
    return read(i -> i.itemsWithPrefix(codes));
  }

  public Set<String> itemsWithPrefix(CodePrefix prefix) {
    return read(i -> i.itemsWithPrefix(prefix));
  }

  public int size() {
    return read(SidIndex::size);
  }

  public List<SidRecord> records() {
    return read(SidIndex::records);
  }

  public SortedMap<Long, Integer> liveVersions() {
    return read(SidIndex::liveVersions);
  }

  public OptionalLong newestLiveVersion() {
    return read(SidIndex::newestLiveVersion);
  }

  public Optional<VersionMigration> migration(long version) {
    return read(i -> i.migration(version));
  }

  public List<VersionMigration> migrations() {
    return read(SidIndex::migrations);
  }

  public ValidPrefixes validPrefixes() {
    return read(SidIndex::validPrefixes);
  }

  public int[] nextCodes(int... prefix) {
    return read(i -> i.nextCodes(prefix));
  }

  public int[] suffixes(int... codes) {
    return read(i -> i.suffixes(codes));
  }

  public long staleDropped() {
    return read(SidIndex::staleDropped);
  }

  /** Records skipped because they had no key or an undecodable value. */
  public long undecodableRecords() {
    return undecodable.get();
  }

  /** Partition to the next offset the table will read. */
  /** Whether this table started from a snapshot, rather than replaying the topic. */
  public boolean restoredFromSnapshot() {
    return restoredFromSnapshot;
  }

  public Map<Integer, Long> offsets() {
    lock.readLock().lock();
    try {
      return Map.copyOf(offsets);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Adds a listener; it sees the batches applied after this call. */
  public void addListener(SidTableListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(SidTableListener listener) {
    listeners.remove(listener);
  }

  /** Stops the poll thread and closes the consumer; waits up to 30 s for the thread. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
