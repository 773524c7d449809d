package io.quasid.client;

import static io.quasid.client.SidRecords.delete;
import static io.quasid.client.SidRecords.put;
import static io.quasid.client.SidRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SidIndexTest {

  @Test
  void answersLookupsByItemSidPrefixAndVersion() {
    SidIndex index = new SidIndex();
    index.apply(
        List.of(
            put(record("a", 0, 1, null, 0, 12, 201, 7)),
            put(record("b", 0, 1, null, 1, 12, 201, 7)),
            put(record("c", 0, 1, null, 0, 12, 5, 9)),
            put(record("d", 1, 1, null, 0, 3, 4, 5))));

    assertThat(index.size()).isEqualTo(4);
    assertThat(index.sidOf("b")).contains("12-201-7/1");
    assertThat(index.itemOf("12-201-7/0")).contains("a");
    assertThat(index.itemOf("12-201-7/9")).isEmpty();
    assertThat(index.itemsWithPrefix(12)).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(index.itemsWithPrefix(12, 201)).containsExactlyInAnyOrder("a", "b");
    assertThat(index.itemsWithPrefix(12, 201, 7)).containsExactlyInAnyOrder("a", "b");
    assertThat(index.itemsWithPrefix(CodePrefix.parse("12-201-7/1"))).containsExactly("b");
    assertThat(index.itemsWithPrefix(99)).isEmpty();
    assertThat(index.liveVersions()).containsExactly(Map.entry(0L, 3), Map.entry(1L, 1));
    assertThat(index.newestLiveVersion()).hasValue(1);
    assertThat(index.nextCodes()).containsExactly(3, 12);
    assertThat(index.nextCodes(12)).containsExactly(5, 201);
    assertThat(index.suffixes(12, 201, 7)).containsExactly(0, 1);
    assertThat(index.prefixCount(CodePrefix.ofCodes(12))).isEqualTo(3);
  }

  @Test
  void reportsAssignedMovedUpdatedAndRemoved() {
    SidIndex index = new SidIndex();
    SidRecord a1 = record("a", 0, 1, null, 0, 1, 2);
    SidRecord a2 = record("a", 0, 2, "1-2/0", 0, 1, 3);
    SidRecord a3 = record("a", 1, 3, "1-3/0", 0, 1, 3); // newer version, same SID
    index.apply(List.of(put(a1)));
    SidBatch batch = index.apply(List.of(put(a2), put(a3), delete("a", 4)));

    assertThat(batch.changes())
        .extracting(SidChange::kind)
        .containsExactly(SidChange.Kind.MOVED, SidChange.Kind.UPDATED, SidChange.Kind.REMOVED);
    assertThat(batch.changes().get(0).before()).isEqualTo(a1);
    assertThat(batch.changes().get(2).before()).isEqualTo(a3);
    assertThat(index.size()).isZero();
    assertThat(index.liveVersions()).isEmpty();
    assertThat(index.itemOf("1-3/0")).isEmpty();
    assertThat(index.validPrefixes().prefixes()).isEmpty();
  }

  /** A replay after a failure under at-least-once may reuse a revision with another suffix. */
  @Test
  void onAnEqualRevisionTheLaterRecordWins() {
    SidIndex index = new SidIndex();
    SidRecord first = record("a", 0, 3, null, 0, 1, 2);
    SidRecord replayed = record("a", 0, 3, null, 1, 1, 2);
    index.apply(List.of(put(record("b", 0, 1, null, 0, 1, 2)), put(first)));

    SidBatch batch =
        index.apply(
            List.of(
                put(replayed),
                put(replayed),
                put(
                    new SidRecord( // re-sent: only its assigned time differs
                        "a",
                        List.of(1, 2),
                        1,
                        "1-2/1",
                        0,
                        null,
                        replayed.causeEventTime(),
                        replayed.assignedTime().plusSeconds(60),
                        3))));

    assertThat(index.sidOf("a")).contains("1-2/1");
    assertThat(index.itemOf("1-2/1")).contains("a");
    assertThat(index.itemOf("1-2/0")).contains("b");
    assertThat(index.suffixes(1, 2)).containsExactly(0, 1);
    assertThat(batch.changes()).extracting(SidChange::kind).containsExactly(SidChange.Kind.MOVED);
    assertThat(batch.staleDropped()).as("the duplicate and the re-send").isEqualTo(2);

    index.apply(List.of(delete("a", 3)));
    assertThat(index.get("a")).as("a tombstone of the same revision, later").isEmpty();
    assertThat(index.apply(List.of(delete("a", 3))).staleDropped()).isEqualTo(1);
  }

  @Test
  void keepsTheHighestRevisionAndATombstoneFencesOlderRecords() {
    SidIndex index = new SidIndex();
    SidRecord r1 = record("a", 0, 1, null, 0, 1, 1);
    SidRecord r3 = record("a", 0, 3, "1-1/0", 0, 2, 2);
    SidBatch batch = index.apply(List.of(put(r3), put(r1), put(r3)));
    assertThat(batch.staleDropped()).isEqualTo(2);
    assertThat(index.get("a")).contains(r3);

    index.apply(List.of(delete("a", 4), put(r3), delete("a", 4)));
    assertThat(index.get("a")).isEmpty();
    assertThat(index.staleDropped()).isEqualTo(4);

    SidRecord r5 = record("a", 0, 5, null, 0, 3, 3);
    assertThat(index.apply(List.of(put(r5))).changes())
        .extracting(SidChange::kind)
        .containsExactly(SidChange.Kind.ASSIGNED);
    assertThat(index.sidOf("a")).contains("3-3/0");
  }

  @Test
  void revisionZeroFromOlderWritersFollowsTopicOrder() {
    SidIndex index = new SidIndex();
    index.apply(List.of(put(record("a", 0, 0, null, 0, 1)), put(record("a", 0, 0, "1/0", 0, 2))));
    assertThat(index.sidOf("a")).contains("2/0");
    index.apply(List.of(delete("a", 0)));
    assertThat(index.size()).isZero();
  }

  /** At-least-once delivery: duplicates and reordering give the table that exactly once gives. */
  @Test
  void duplicatesAndReorderingGiveTheSameTable() {
    Random random = new Random(7);
    List<SidTopicRecord> history = new ArrayList<>();
    Map<String, Long> revision = new HashMap<>();
    for (int step = 0; step < 400; step++) {
      String item = "i" + random.nextInt(30);
      long rev = revision.merge(item, 1L, Long::sum);
      history.add(
          random.nextInt(6) == 0
              ? delete(item, rev)
              : put(record(item, rev / 4, rev, null, random.nextInt(2), random.nextInt(4), 1)));
    }
    SidIndex exactlyOnce = new SidIndex();
    exactlyOnce.apply(history);

    List<SidTopicRecord> messy = new ArrayList<>(history);
    messy.addAll(history.subList(0, 150));
    Collections.shuffle(messy, random);
    SidIndex atLeastOnce = new SidIndex();
    for (int from = 0; from < messy.size(); from += 13) {
      atLeastOnce.apply(messy.subList(from, Math.min(messy.size(), from + 13)));
    }

    assertThat(atLeastOnce.records()).containsExactlyInAnyOrderElementsOf(exactlyOnce.records());
    assertThat(atLeastOnce.prefixCounts()).isEqualTo(exactlyOnce.prefixCounts());
    assertThat(atLeastOnce.staleDropped()).isGreaterThanOrEqualTo(150);
  }

  @Test
  void twoItemsMayBrieflyShareAnSid() {
    SidIndex index = new SidIndex();
    index.apply(List.of(put(record("a", 0, 1, null, 0, 4, 4)), put(record("b", 0, 1, null, 0, 5))));
    // b joins 4-4 and takes suffix 0 before a's move out of 4-4 is read
    index.apply(List.of(put(record("b", 1, 2, "5/0", 0, 4, 4))));
    assertThat(index.itemsOf("4-4/0")).containsExactlyInAnyOrder("a", "b");
    assertThat(index.itemOf("4-4/0")).contains("b");
    assertThat(index.prefixCount(CodePrefix.parse("4-4/0"))).isEqualTo(2);

    index.apply(List.of(put(record("a", 1, 2, "4-4/0", 0, 6))));
    assertThat(index.itemsOf("4-4/0")).containsExactly("b");
    assertThat(index.prefixCount(CodePrefix.parse("4-4/0"))).isEqualTo(1);
  }

  @Test
  void derivesVersionMigrationsFromTheRecords() {
    SidIndex index = new SidIndex();
    index.apply(
        List.of(
            put(record("a", 0, 1, null, 0, 1, 1)),
            put(record("b", 0, 1, null, 0, 1, 2)),
            put(record("c", 0, 1, null, 0, 1, 3))));

    SidBatch batch =
        index.apply(
            List.of(
                put(record("a", 1, 2, "1-1/0", 0, 2, 1)), // moved by v1
                put(record("b", 1, 2, "1-2/0", 0, 2, 2)), // moved by v1
                put(record("n", 1, 1, null, 0, 3, 3)), // new item under v1: no migration
                put(record("a", 1, 3, "2-1/0", 0, 2, 9)), // a's features changed under v1
                put(record("c", 1, 2, "1-3/0", 0, 1, 3)))); // re-encoded, same SID

    VersionMigration v1 = index.migration(1).orElseThrow();
    assertThat(v1.itemsReencoded()).isEqualTo(3);
    assertThat(v1.itemsMoved()).isEqualTo(2);
    assertThat(v1.moves())
        .containsOnly(
            Map.entry("a", new SidMove(1, "a", "1-1/0", "2-1/0")),
            Map.entry("b", new SidMove(1, "b", "1-2/0", "2-2/0")));
    assertThat(batch.migrations())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.version()).isEqualTo(1);
              assertThat(p.itemsReencoded()).isEqualTo(3);
              assertThat(p.newMoves()).hasSize(2);
            });
    assertThat(index.migration(0)).isEmpty();
    assertThat(index.liveVersions()).containsExactly(Map.entry(1L, 4));

    // A duplicate of a v1 move is stale: the counts do not change.
    assertThat(index.apply(List.of(put(record("b", 1, 2, "1-2/0", 0, 2, 2)))).migrations())
        .isEmpty();
    assertThat(index.migration(1).orElseThrow().itemsMoved()).isEqualTo(2);
  }

  @Test
  void keepsTheNewestMigrationVersions() {
    SidIndex index = new SidIndex(2);
    index.apply(List.of(put(record("a", 0, 1, null, 0, 0))));
    for (int v = 1; v <= 4; v++) {
      index.apply(List.of(put(record("a", v, v + 1, (v - 1) + "/0", 0, v))));
    }
    assertThat(index.migrations()).extracting(VersionMigration::version).containsExactly(3L, 4L);
  }
}
