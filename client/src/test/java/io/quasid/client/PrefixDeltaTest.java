package io.quasid.client;

import static io.quasid.client.SidRecords.delete;
import static io.quasid.client.SidRecords.put;
import static io.quasid.client.SidRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A decoding trie kept only from the deltas equals a trie rebuilt from scratch from the live table,
 * after every batch of a random history of assignments, moves, version changes, tombstones,
 * duplicates and stale records.
 */
class PrefixDeltaTest {

  private static final int LEVELS = 3;
  private static final int CODES = 3; // few codes: prefixes are shared and come and go often

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void deltasKeepADecodingTrieEqualToOneRebuiltFromTheTable(long seed) {
    Random random = new Random(seed);
    SidIndex index = new SidIndex();
    DecodingTrie decoding = new DecodingTrie();
    Map<String, SidRecord> live = new HashMap<>();
    Map<String, Long> revisions = new HashMap<>();
    List<SidTopicRecord> sent = new ArrayList<>();
    long version = 0;
    int nonEmptyDeltas = 0;

    for (int step = 0; step < 1500; step++) {
      List<SidTopicRecord> batch = new ArrayList<>();
      int size = 1 + random.nextInt(6);
      if (random.nextInt(100) == 0) {
        version++;
        // a version change moves about half of the live items
        for (SidRecord r : List.copyOf(live.values())) {
          if (random.nextBoolean()) {
            batch.add(put(move(r, version, revisions, live, random)));
          }
        }
      }
      for (int i = 0; i < size; i++) {
        String item = "item-" + random.nextInt(40);
        SidRecord old = live.get(item);
        int op = random.nextInt(10);
        if (op < 2 && !sent.isEmpty()) {
          batch.add(sent.get(random.nextInt(sent.size()))); // duplicate or stale
        } else if (op < 4 && old != null) {
          long rev = revisions.merge(item, 1L, Long::sum);
          live.remove(item);
          batch.add(delete(item, rev));
        } else if (old != null) {
          batch.add(put(move(old, version, revisions, live, random)));
        } else {
          long rev = revisions.merge(item, 1L, Long::sum);
          SidRecord r = record(item, version, rev, null, random.nextInt(2), codes(random));
          live.put(item, r);
          batch.add(put(r));
        }
      }
      sent.addAll(batch);

      SidBatch applied = index.apply(batch);
      if (!applied.delta().isEmpty()) {
        nonEmptyDeltas++;
        decoding.apply(applied.delta());
      }

      PrefixTrie rebuilt = PrefixTrie.of(index.records());
      assertThat(index.records())
          .as("step %d", step)
          .containsExactlyInAnyOrderElementsOf(live.values());
      assertThat(decoding.prefixes()).as("step %d", step).isEqualTo(rebuilt.counts().keySet());
      assertThat(index.prefixCounts()).as("step %d", step).isEqualTo(rebuilt.counts());
      assertThat(index.validPrefixes().prefixes()).isEqualTo(decoding.prefixes());
      assertThat(index.nextCodes()).isEqualTo(rebuilt.nextCodes());
    }
    assertThat(nonEmptyDeltas).isGreaterThan(300);
    assertThat(index.staleDropped()).isPositive();
  }

  @Test
  void aPrefixThatComesAndGoesWithinABatchIsInNeitherList() {
    SidIndex index = new SidIndex();
    index.apply(List.of(put(record("a", 0, 1, null, 0, 1, 1))));
    SidBatch batch =
        index.apply(
            List.of(
                put(record("b", 0, 1, null, 0, 2, 2)),
                delete("b", 2),
                put(record("a", 0, 2, "1-1/0", 0, 1, 2))));

    assertThat(batch.delta().added())
        .extracting(CodePrefix::toString)
        .containsExactly("1-2", "1-2/0");
    assertThat(batch.delta().removed())
        .extracting(CodePrefix::toString)
        .containsExactly("1-1/0", "1-1");
    assertThat(batch.delta().sequence()).isEqualTo(2);
  }

  @Test
  void aSubscriberStartingFromASnapshotOfPrefixesSkipsOlderDeltas() {
    SidIndex index = new SidIndex();
    PrefixDelta first = index.apply(List.of(put(record("a", 0, 1, null, 0, 1, 1)))).delta();
    DecodingTrie decoding = new DecodingTrie(index.validPrefixes());
    decoding.apply(first); // already included: ignored
    decoding.apply(index.apply(List.of(put(record("b", 0, 1, null, 0, 1, 2)))).delta());
    assertThat(decoding.prefixes()).isEqualTo(index.validPrefixes().prefixes());
  }

  private static SidRecord move(
      SidRecord old,
      long version,
      Map<String, Long> revisions,
      Map<String, SidRecord> live,
      Random random) {
    long rev = revisions.merge(old.itemId(), 1L, Long::sum);
    // sometimes only the suffix changes, sometimes only the last code
    int[] codes = random.nextInt(3) == 0 ? old.codeArray() : codes(random);
    int suffix = random.nextInt(3);
    SidRecord r = record(old.itemId(), version, rev, old.sid(), suffix, codes);
    live.put(old.itemId(), r);
    return r;
  }

  private static int[] codes(Random random) {
    int[] codes = new int[LEVELS];
    for (int i = 0; i < LEVELS; i++) {
      codes[i] = random.nextInt(CODES);
    }
    return codes;
  }
}
