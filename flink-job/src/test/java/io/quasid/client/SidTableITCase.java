package io.quasid.client;

import static io.quasid.client.SidRecords.delete;
import static io.quasid.client.SidRecords.put;
import static io.quasid.client.SidRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.embedded.EmbeddedKafka;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.SidTopicHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SidTable} against the embedded broker: records written as the job writes them (Avro value,
 * revision header, tombstones) by a transactional producer, read back read_committed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SidTableITCase {

  private static final Duration CATCH_UP = Duration.ofSeconds(60);
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private static EmbeddedKafka kafka;

  @TempDir Path dir;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void materialisesTheTopicWithATombstoneAVersionChangeAndDuplicates() throws Exception {
    String topic = freshTopic(3);
    List<SidRecord> v0 = IntStream.range(0, 30).mapToObj(SidTableITCase::firstSid).toList();
    commit(topic, v0.stream().map(SidRecords::put).toList());
    abort(topic, List.of(put(record("item-00", 9, 99, null, 0, 9, 9, 9))));

    Recorder events = new Recorder(new DecodingTrie());
    try (SidTable table =
        SidTable.builder(kafka.bootstrapServers(), topic).listener(events).start()) {
      assertThat(table.awaitCaughtUp(CATCH_UP)).isTrue();

      assertThat(table.size()).isEqualTo(30);
      assertThat(table.get("item-00")).contains(v0.get(0)); // the aborted record is invisible
      assertThat(table.sidOf("item-07")).contains(v0.get(7).sid());
      assertThat(table.itemOf(v0.get(7).sid())).contains("item-07");
      assertThat(table.itemsWithPrefix(0)).hasSize(10).allMatch(i -> index(i) % 3 == 0);
      assertThat(table.itemsWithPrefix(0, 1))
          .allMatch(i -> index(i) % 3 == 0 && index(i) / 3 % 2 == 1);
      assertThat(table.liveVersions()).containsExactly(Map.entry(0L, 30));
      assertThat(events.assigned).hasSize(30);
      assertThat(events.decoding.prefixes()).isEqualTo(table.validPrefixes().prefixes());

      // Model v1 moves item-10..19; item-05 is deleted; item-30 arrives under v1; the batch
      // also carries a duplicate of a v1 record and a stale copy of a v0 record.
      List<SidTopicRecord> second = new ArrayList<>();
      List<SidRecord> moved = new ArrayList<>();
      for (int i = 10; i < 20; i++) {
        SidRecord r = record(item(i), 1, 2, v0.get(i).sid(), 0, 5, i % 2, i);
        moved.add(r);
        second.add(put(r));
      }
      second.add(delete("item-05", 2));
      second.add(put(record("item-30", 1, 1, null, 0, 5, 0, 30)));
      second.add(put(moved.get(0)));
      second.add(put(v0.get(20)));
      commit(topic, second);
      assertThat(table.awaitCaughtUp(CATCH_UP)).isTrue();

      assertThat(table.size()).isEqualTo(30);
      assertThat(table.sidOf("item-05")).isEmpty();
      assertThat(table.sidOf("item-10")).contains("5-0-10/0");
      assertThat(table.itemOf(v0.get(10).sid())).isEmpty();
      assertThat(table.itemsWithPrefix(5)).hasSize(11);
      assertThat(table.liveVersions()).containsExactly(Map.entry(0L, 19), Map.entry(1L, 11));
      assertThat(table.newestLiveVersion()).hasValue(1);
      assertThat(table.staleDropped()).isGreaterThanOrEqualTo(2);

      VersionMigration v1 = table.migration(1).orElseThrow();
      assertThat(v1.itemsReencoded()).isEqualTo(10);
      assertThat(v1.itemsMoved()).isEqualTo(10);
      assertThat(v1.moves().values())
          .extracting(SidMove::itemId, SidMove::fromSid, SidMove::toSid)
          .containsExactlyInAnyOrderElementsOf(
              moved.stream().map(r -> Tuple.tuple(r.itemId(), r.previousSid(), r.sid())).toList());

      assertThat(events.assigned).hasSize(31);
      assertThat(events.moved).hasSize(10);
      assertThat(events.removed).containsExactly("item-05");
      assertThat(events.migrations.get(events.migrations.size() - 1).itemsMoved()).isEqualTo(10);
      assertThat(events.migrations.stream().mapToInt(p -> p.newMoves().size()).sum()).isEqualTo(10);
      assertThat(events.decoding.prefixes())
          .isEqualTo(table.validPrefixes().prefixes())
          .isEqualTo(PrefixTrie.of(table.records()).counts().keySet());
      assertThat(table.undecodableRecords()).isZero();
    }
  }

  @Test
  void restartsFromASnapshotAndContinuesWithNewRecords() throws Exception {
    String topic = freshTopic(2);
    List<SidRecord> v0 = IntStream.range(0, 20).mapToObj(SidTableITCase::firstSid).toList();
    commit(topic, v0.stream().map(SidRecords::put).toList());
    Path file = dir.resolve("sid-table.snapshot");

    ValidPrefixes atSnapshot;
    Map<Integer, Long> offsetsAtSnapshot;
    try (SidTable first = SidTable.builder(kafka.bootstrapServers(), topic).start()) {
      assertThat(first.awaitCaughtUp(CATCH_UP)).isTrue();
      first.snapshot(file);
      atSnapshot = first.validPrefixes();
      offsetsAtSnapshot = first.offsets();
    }
    assertThat(offsetsAtSnapshot.values().stream().mapToLong(Long::longValue).sum())
        .isGreaterThanOrEqualTo(20);

    List<SidTopicRecord> later = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      later.add(put(record(item(i), 1, 2, v0.get(i).sid(), 0, 7, i, 0)));
    }
    later.add(delete("item-06", 2));
    later.add(put(record("item-20", 1, 1, null, 0, 7, 9, 9)));
    commit(topic, later);

    Recorder events = new Recorder(null);
    try (SidTable restored =
            SidTable.builder(kafka.bootstrapServers(), topic)
                .restore(file)
                .listener(events)
                .start();
        SidTable replayed = SidTable.builder(kafka.bootstrapServers(), topic).start()) {
      assertThat(restored.awaitCaughtUp(CATCH_UP)).isTrue();
      assertThat(replayed.awaitCaughtUp(CATCH_UP)).isTrue();

      // The restored table read only what came after the snapshot ...
      assertThat(events.assigned).containsExactly("item-20");
      assertThat(events.moved).hasSize(5);
      assertThat(events.removed).containsExactly("item-06");
      // ... and holds what a table replaying the whole topic holds.
      assertThat(restored.records()).containsExactlyInAnyOrderElementsOf(replayed.records());
      assertThat(restored.size()).isEqualTo(20);
      assertThat(restored.migrations()).isEqualTo(replayed.migrations());
      assertThat(restored.migration(1).orElseThrow().itemsMoved()).isEqualTo(5);
      assertThat(restored.validPrefixes().prefixes())
          .isEqualTo(replayed.validPrefixes().prefixes());
      assertThat(restored.offsets()).isEqualTo(replayed.offsets());

      // A decoding trie saved with the snapshot follows the restored table's deltas.
      DecodingTrie decoding = new DecodingTrie(atSnapshot);
      events.deltas.forEach(decoding::apply);
      assertThat(decoding.prefixes()).isEqualTo(restored.validPrefixes().prefixes());
      assertThat(restored.restoredFromSnapshot()).isTrue();

      // A snapshot corrupted on disk (one flipped byte): the table replays instead of failing.
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 0x40;
      Files.write(file, bytes);
      try (SidTable afterCorruption =
          SidTable.builder(kafka.bootstrapServers(), topic).restore(file).start()) {
        assertThat(afterCorruption.awaitCaughtUp(CATCH_UP)).isTrue();
        assertThat(afterCorruption.restoredFromSnapshot()).isFalse();
        assertThat(afterCorruption.records())
            .containsExactlyInAnyOrderElementsOf(replayed.records());
      }
      assertThat(file).doesNotExist();
      try (var aside = Files.list(dir)) {
        assertThat(aside.map(p -> p.getFileName().toString()))
            .anyMatch(name -> name.startsWith("sid-table.snapshot.corrupt-"));
      }
    }
  }

  private static String freshTopic(int partitions) {
    String topic = "sid-table-" + TOPICS.incrementAndGet();
    kafka.createTopic(topic, partitions, true);
    return topic;
  }

  private static String item(int i) {
    return String.format("item-%02d", i);
  }

  private static int index(String item) {
    return Integer.parseInt(item.substring("item-".length()));
  }

  private static SidRecord firstSid(int i) {
    return record(item(i), 0, 1, null, 0, i % 3, i / 3 % 2, i);
  }

  private static void commit(String topic, List<SidTopicRecord> records) {
    write(topic, records, true);
  }

  private static void abort(String topic, List<SidTopicRecord> records) {
    write(topic, records, false);
  }

  /** Writes records as the job's sink does, in one transaction. */
  private static void write(String topic, List<SidTopicRecord> records, boolean commit) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "sid-table-it-" + topic,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (SidTopicRecord r : records) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(
            SidTopicHeaders.REVISION, Long.toString(r.revision()).getBytes(StandardCharsets.UTF_8));
        byte[] value = r.isTombstone() ? null : AvroWire.SID_ASSIGNMENTS.encode(r.value().toAvro());
        producer.send(
            new ProducerRecord<>(
                topic, null, r.itemId().getBytes(StandardCharsets.UTF_8), value, headers));
      }
      if (commit) {
        producer.commitTransaction();
      } else {
        producer.flush();
        producer.abortTransaction();
      }
    }
  }

  /** Records the callbacks (on the table's poll thread) and keeps a trie from the deltas. */
  private static final class Recorder implements SidTableListener {
    final List<String> assigned = new CopyOnWriteArrayList<>();
    final List<SidMove> moved = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    final List<MigrationProgress> migrations = new CopyOnWriteArrayList<>();
    final List<PrefixDelta> deltas = new CopyOnWriteArrayList<>();

    /** Fed from the deltas; only meaningful for a table that starts empty. */
    final DecodingTrie decoding;

    Recorder(DecodingTrie decoding) {
      this.decoding = decoding;
    }

    @Override
    public void onAssigned(SidRecord r) {
      assigned.add(r.itemId());
    }

    @Override
    public void onMoved(SidRecord from, SidRecord to) {
      moved.add(new SidMove(to.modelVersion(), to.itemId(), from.sid(), to.sid()));
    }

    @Override
    public void onRemoved(SidRecord r) {
      removed.add(r.itemId());
    }

    @Override
    public void onMigration(MigrationProgress progress) {
      migrations.add(progress);
    }

    @Override
    public void onPrefixDelta(PrefixDelta delta) {
      deltas.add(delta);
      if (decoding != null) {
        decoding.apply(delta);
      }
    }
  }
}
