package io.quasid.job.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes the input of one scenario and keeps its ledger: what the job must end with according to
 * {@link InputOracle}.
 *
 * <p><b>Items.</b> A valid item record is keyed by its own item id (one partition per item, so the
 * job sees an item's records in publishing order). The ledger follows the job's documented per-item
 * event-time order: it keeps the newest event time applied per item and applies a valid upsert or
 * delete only if its event time is at least that newest one (equal times in publishing order); an
 * older one is dropped, as the job's {@code SidAssigner} drops it (counted, not dead-lettered). So
 * a late update after a delete does not bring the item back, and a record whose flipped bits moved
 * its event time into the far future makes that item's later records stale.
 *
 * <p><b>Interactions.</b> The job's {@code KnownItemGate} decides per item whether the item is
 * known, and lets an interaction wait for it until both topics have been read a grace period past
 * the interaction (longer while an item partition lags); the two topics are consumed independently.
 * So an interaction whose item changes liveness close to the interaction's send can legitimately go
 * either way. The ledger keeps, per item, the send times at which its liveness changed and judges a
 * decodable interaction when the expectations are read:
 *
 * <ul>
 *   <li>its item live at the send and no change within {@link #eitherWindowMillis} after it: good;
 *   <li>not live at the send and no change within that window before or after it: bad (the gate
 *       dead-letters it as UNKNOWN_ID after the grace period);
 *   <li>otherwise <i>either</i>: excluded from both expectations (reported, and any dead letter for
 *       it counted, but neither missing nor unexpected).
 * </ul>
 *
 * The window is the grace period plus a margin for the lag between the job's two sources. The fuzz
 * corpus also aims its interactions only at items live before any fuzz is sent and never deleted,
 * so only a flipped bit that renames the item can make an interaction <i>either</i>.
 *
 * <p>Every rejected record is remembered by its (topic, partition, offset), from the producer's
 * acknowledgement, to be found exactly once in the dead-letter topic. Methods are called from one
 * feeding thread; the ledger is read after {@link #flush()}.
 */
final class Traffic implements AutoCloseable {

  /** Where a record landed. */
  record SourceRef(String topic, int partition, long offset) {}

  /** A decodable interaction, judged against the item's liveness changes when read. */
  private record SentInteraction(String itemId, long sentAtMillis, String bytes) {}

  private final String itemsTopic;
  private final String interactionsTopic;
  private final InputOracle oracle;
  private final long eitherWindowMillis;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<String, Boolean> itemLive = new ConcurrentHashMap<>();
  private final Map<String, Long> newestEventTime = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> livenessChanges = new ConcurrentHashMap<>();
  private final Map<String, List<String>> itemHistory = new ConcurrentHashMap<>();
  private final Map<String, Long> firstSentAt = new ConcurrentHashMap<>();
  private final Map<SourceRef, String> expectedBad = new ConcurrentHashMap<>();
  private final Map<SourceRef, SentInteraction> sentInteractions = new ConcurrentHashMap<>();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final AtomicLong itemRecords = new AtomicLong();
  private final AtomicLong interactionRecords = new AtomicLong();
  private final AtomicLong staleItemRecords = new AtomicLong();
  private volatile long lastSendMillis;

  /**
   * @param client the producer's client settings: {@code bootstrap.servers} and any security
   *     settings
   * @param eitherWindowMillis how close to an interaction's send a liveness change of its item
   *     makes the interaction's fate undecided (the job's grace period plus a margin)
   */
  Traffic(
      Map<String, Object> client,
      String itemsTopic,
      String interactionsTopic,
      InputOracle oracle,
      long eitherWindowMillis) {
    this.itemsTopic = itemsTopic;
    this.interactionsTopic = interactionsTopic;
    this.oracle = oracle;
    this.eitherWindowMillis = eitherWindowMillis;
    Map<String, Object> config = new HashMap<>(client);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // Keep retrying through a broker restart instead of failing the send.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** An item-feature record; {@code key} is used only when the oracle rejects it. */
  void item(String key, byte[] value) {
    long now = System.currentTimeMillis();
    InputOracle.ItemVerdict verdict = oracle.item(value, now);
    if (!verdict.bad()) {
      apply(verdict, now);
    }
    itemRecords.incrementAndGet();
    send(
        itemsTopic,
        verdict.bad() ? key : verdict.itemId(),
        value,
        now,
        verdict.bad() ? verdict.reason() : null,
        null);
  }

  private void apply(InputOracle.ItemVerdict verdict, long now) {
    String id = verdict.itemId();
    firstSentAt.putIfAbsent(id, now);
    Long newest = newestEventTime.get(id);
    boolean applied = newest == null || verdict.eventTimeMillis() >= newest;
    List<String> history = itemHistory.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
    if (history.size() < 12) {
      history.add(
          (verdict.delete() ? "DELETE@" : "UPSERT@")
              + Instant.ofEpochMilli(verdict.eventTimeMillis())
              + (applied ? "" : "(stale)"));
    }
    if (!applied) {
      staleItemRecords.incrementAndGet();
      return;
    }
    newestEventTime.put(id, verdict.eventTimeMillis());
    boolean wasLive = Boolean.TRUE.equals(itemLive.get(id));
    itemLive.put(id, !verdict.delete());
    if (wasLive == verdict.delete()) {
      livenessChanges.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(now);
    }
  }

  /**
   * An interaction record: rejected when the decoder would reject it; otherwise judged against its
   * item's liveness when the expectations are read (see the class comment).
   */
  void interaction(String key, byte[] value) {
    long now = System.currentTimeMillis();
    InputOracle.InteractionVerdict verdict = oracle.interaction(value, now);
    interactionRecords.incrementAndGet();
    send(
        interactionsTopic,
        key,
        value,
        now,
        verdict.bad() ? "interaction " + verdict.reason() : null,
        verdict.bad() ? null : new SentInteraction(verdict.itemId(), now, hex(value)));
  }

  private void send(
      String topic,
      String key,
      byte[] value,
      long now,
      String badReason,
      SentInteraction interaction) {
    lastSendMillis = now;
    producer.send(
        // The send time as the record's timestamp: the job bounds event times by it.
        new ProducerRecord<>(
            topic, null, now, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value),
        (metadata, exception) -> {
          if (exception != null) {
            failure.compareAndSet(null, exception);
            return;
          }
          SourceRef ref = new SourceRef(topic, metadata.partition(), metadata.offset());
          if (badReason != null) {
            expectedBad.put(ref, badReason + " [" + hex(value) + "]");
          } else if (interaction != null) {
            sentInteractions.put(ref, interaction);
          }
        });
  }

  private static String hex(byte[] value) {
    if (value == null) {
      return "null";
    }
    String h = HexFormat.of().formatHex(value, 0, Math.min(value.length, 48));
    return value.length + " bytes " + h + (value.length > 48 ? "..." : "");
  }

  /** Waits for every acknowledgement; fails if any send failed. */
  void flush() {
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("a test record was not acknowledged", failure.get());
    }
  }

  Set<String> liveItems() {
    Set<String> live = new HashSet<>();
    itemLive.forEach(
        (id, isLive) -> {
          if (isLive) {
            live.add(id);
          }
        });
    return live;
  }

  Set<String> deletedItems() {
    Set<String> deleted = new HashSet<>();
    itemLive.forEach(
        (id, isLive) -> {
          if (!isLive) {
            deleted.add(id);
          }
        });
    return deleted;
  }

  /** Every record the job must dead-letter. */
  Set<SourceRef> expectedBad() {
    Set<SourceRef> bad = new HashSet<>(expectedBad.keySet());
    sentInteractions.forEach(
        (ref, sent) -> {
          if (judge(sent) == Fate.BAD) {
            bad.add(ref);
          }
        });
    return bad;
  }

  /** Interactions that may or may not be dead-lettered (their item changed liveness near them). */
  Set<SourceRef> either() {
    Set<SourceRef> either = new HashSet<>();
    sentInteractions.forEach(
        (ref, sent) -> {
          if (judge(sent) == Fate.EITHER) {
            either.add(ref);
          }
        });
    return either;
  }

  /** Why the ledger expects {@code ref} in the dead letters, with the record's first bytes. */
  String describe(SourceRef ref) {
    String reason = expectedBad.get(ref);
    if (reason != null) {
      return reason;
    }
    SentInteraction sent = sentInteractions.get(ref);
    return sent == null
        ? "?"
        : "interaction for item '" + sent.itemId() + "', not live [" + sent.bytes() + "]";
  }

  /**
   * For a dead-lettered decodable interaction: its item, and when the item's first valid record and
   * the interaction were sent relative to {@code letterSeenAtMillis}; empty for any other record.
   * Tells a lag of the item source beyond the grace period from an oracle mistake.
   */
  String interactionTiming(SourceRef ref, long letterSeenAtMillis) {
    SentInteraction sent = sentInteractions.get(ref);
    if (sent == null) {
      return "";
    }
    long item = firstSentAt(sent.itemId());
    return String.format(
        " (item '%s' %s, interaction sent %.1f s before the dead letter was visible)",
        sent.itemId(),
        item < 0
            ? "never sent"
            : String.format(
                "first sent %.1f s before the interaction", (sent.sentAtMillis() - item) / 1000.0),
        (letterSeenAtMillis - sent.sentAtMillis()) / 1000.0);
  }

  /** The valid records of an item as published, with their event times (stale ones marked). */
  List<String> history(String itemId) {
    return List.copyOf(itemHistory.getOrDefault(itemId, List.of()));
  }

  /** When the first valid record of an item was sent, or -1. */
  long firstSentAt(String itemId) {
    return firstSentAt.getOrDefault(itemId, -1L);
  }

  private enum Fate {
    GOOD,
    BAD,
    EITHER
  }

  private Fate judge(SentInteraction sent) {
    List<Long> changes = livenessChanges.getOrDefault(sent.itemId(), List.of());
    int before = 0;
    boolean changedSoonAfter = false;
    boolean changedJustBefore = false;
    for (long t : changes) {
      if (t <= sent.sentAtMillis()) {
        before++;
        changedJustBefore |= t >= sent.sentAtMillis() - eitherWindowMillis;
      } else {
        changedSoonAfter |= t <= sent.sentAtMillis() + eitherWindowMillis;
      }
    }
    boolean liveAtSend = before % 2 == 1; // changes alternate, starting from not live
    if (liveAtSend) {
      return changedSoonAfter ? Fate.EITHER : Fate.GOOD;
    }
    return changedSoonAfter || changedJustBefore ? Fate.EITHER : Fate.BAD;
  }

  long itemRecords() {
    return itemRecords.get();
  }

  long interactionRecords() {
    return interactionRecords.get();
  }

  /** Valid item records the ledger dropped as older than their item's newest applied event. */
  long staleItemRecords() {
    return staleItemRecords.get();
  }

  long lastSendMillis() {
    return lastSendMillis;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
