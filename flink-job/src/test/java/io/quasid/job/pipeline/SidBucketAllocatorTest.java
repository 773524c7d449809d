package io.quasid.job.pipeline;

import static io.quasid.job.pipeline.StateProbe.keys;
import static io.quasid.job.pipeline.StateProbe.state;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SidBucketAllocatorTest {

  private static final int[] BUCKET = {1, 2, 3};
  private static final String KEY = "1-2-3";

  private KeyedOneInputStreamOperatorTestHarness<String, BucketChange, BucketAssignment> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new SidBucketAllocator()),
            BucketChange::bucketKey,
            Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void join(String item, long rev) throws Exception {
    harness.processElement(BucketChange.join(item, BUCKET, rev, 0, 10), 10);
  }

  private void leave(String item, long rev, boolean deleted) throws Exception {
    harness.processElement(BucketChange.leave(item, BUCKET, rev, 0, deleted, 10), 10);
  }

  private static BucketAssignment assigned(String item, int suffix, long rev) {
    return new BucketAssignment(item, BUCKET, suffix, rev, 0, false, 10);
  }

  @Test
  void membersKeepTheirSuffixAndTheSmallestFreeSuffixIsReused() throws Exception {
    join("a", 1);
    join("b", 1);
    join("c", 1);
    leave("b", 2, false);
    leave("a", 2, false);
    join("d", 1);
    join("e", 1);
    join("f", 1);

    assertThat(harness.extractOutputValues())
        .containsExactly(
            assigned("a", 0, 1),
            assigned("b", 1, 1),
            assigned("c", 2, 1),
            assigned("d", 0, 1),
            assigned("e", 1, 1),
            assigned("f", 3, 1));
    assertThat(state(harness, KEY, SidBucketAllocator.MEMBERS).get("c")).isEqualTo(2);
    assertThat(state(harness, KEY, SidBucketAllocator.COUNT_AND_FREE).value())
        .as("four members, high water 4, nothing spilled, no free suffix")
        .containsExactly(-2, 4, 4, 0);
  }

  @Test
  void rejoiningMemberKeepsItsSuffixWithTheNewRevision() throws Exception {
    join("a", 1);
    join("b", 1);
    join("b", 4);

    assertThat(harness.extractOutputValues())
        .containsExactly(assigned("a", 0, 1), assigned("b", 1, 1), assigned("b", 1, 4));
    assertThat(state(harness, KEY, SidBucketAllocator.COUNT_AND_FREE).value())
        .containsExactly(-2, 2, 2, 0);
  }

  @Test
  void deleteEmitsTombstoneAndPlainLeaveEmitsNothing() throws Exception {
    join("a", 1);
    join("b", 1);
    harness.getOutput().clear();
    leave("a", 2, false);
    leave("b", 2, true);

    assertThat(harness.extractOutputValues())
        .containsExactly(new BucketAssignment("b", BUCKET, -1, 2, 0, true, 10));
  }

  @Test
  void emptiedBucketLeavesNoState() throws Exception {
    join("a", 1);
    join("b", 1);
    leave("a", 2, false);
    assertThat(state(harness, KEY, SidBucketAllocator.COUNT_AND_FREE).value())
        .as("one member, high water 2, suffix 0 free")
        .containsExactly(-2, 1, 2, 0, 0);

    leave("b", 2, true);
    leave("ghost", 3, false);

    assertThat(keys(harness, SidBucketAllocator.MEMBERS)).isZero();
    assertThat(keys(harness, SidBucketAllocator.COUNT_AND_FREE)).isZero();
  }

  /** Many items with one vector joining and leaving: each change stays a bounded state access. */
  @Test
  void aHotBucketsChangesDoNotGrowItsValue() throws Exception {
    for (int i = 0; i < 2_000; i++) {
      join("i" + i, 1);
    }
    for (int i = 0; i < 2_000; i += 2) {
      leave("i" + i, 2, false);
    }
    int[] meta = state(harness, KEY, SidBucketAllocator.COUNT_AND_FREE).value();
    assertThat(meta.length)
        .as("before: every free suffix inline, 1,001 ints rewritten on each change")
        .isLessThanOrEqualTo(4 + SidBucketAllocator.INLINE_FREE);
    assertThat(meta[1]).isEqualTo(1_000);
    assertThat(meta[3]).as("spilled").isEqualTo(1_000 - SidBucketAllocator.INLINE_FREE);
    assertThat(keys(harness, SidBucketAllocator.SPILLED_FREE)).isEqualTo(1);
    harness.getOutput().clear();

    for (int i = 0; i < 1_000; i++) {
      join("new" + i, 3);
    }

    java.util.Set<Integer> freed = new java.util.HashSet<>();
    for (int i = 0; i < 2_000; i += 2) {
      freed.add(i);
    }
    assertThat(harness.extractOutputValues())
        .extracting(a -> a.suffix)
        .as("exactly the freed suffixes, none above the high-water mark")
        .containsExactlyInAnyOrderElementsOf(freed);
    assertThat(state(harness, KEY, SidBucketAllocator.COUNT_AND_FREE).value())
        .containsExactly(-2, 2_000, 2_000, 0);
    assertThat(keys(harness, SidBucketAllocator.SPILLED_FREE)).isZero();
  }

  /** Random joins, then mostly leaves (spilling): distinct suffixes, below the peak membership. */
  @Test
  void suffixesStayDistinctAndBelowThePeakMembership() throws Exception {
    java.util.Random random = new java.util.Random(7);
    java.util.Map<String, Integer> held = new java.util.HashMap<>();
    java.util.List<String> in = new java.util.ArrayList<>();
    int peak = 0;
    for (int op = 0; op < 6_000; op++) {
      harness.getOutput().clear();
      if (in.isEmpty() || random.nextInt(100) < (op < 3_000 ? 70 : 35)) {
        String item = "i" + op;
        join(item, 1);
        held.put(item, harness.extractOutputValues().get(0).suffix);
        in.add(item);
        peak = Math.max(peak, in.size());
      } else {
        String item = in.remove(random.nextInt(in.size()));
        leave(item, 2, false);
        held.remove(item);
      }
      assertThat(new java.util.HashSet<>(held.values())).hasSize(held.size());
    }
    int max = peak;
    assertThat(held.values()).allSatisfy(s -> assertThat(s).isLessThan(max));
    assertThat(state(harness, KEY, SidBucketAllocator.COUNT_AND_FREE).value()[2]).isEqualTo(peak);
  }

  @Test
  void aBucketWrittenByAnEarlierVersionIsConvertedWhenNextTouched() throws Exception {
    // [count, free ascending...] with members a=0, c=2, d=3 and suffixes 1 and 4 free.
    state(harness, KEY, SidBucketAllocator.MEMBERS).put("a", 0);
    state(harness, KEY, SidBucketAllocator.MEMBERS).put("c", 2);
    state(harness, KEY, SidBucketAllocator.MEMBERS).put("d", 3);
    state(harness, KEY, SidBucketAllocator.COUNT_AND_FREE).update(new int[] {3, 1, 4});

    join("x", 1);
    join("c", 2);
    join("y", 1);
    join("z", 1);

    assertThat(harness.extractOutputValues())
        .extracting(a -> a.itemId + "/" + a.suffix)
        .containsExactly("x/1", "c/2", "y/4", "z/5");
  }

  @Test
  void bucketsAreIndependent() throws Exception {
    join("a", 1);
    harness.processElement(BucketChange.join("b", new int[] {1, 2, 4}, 1, 0, 10), 10);

    assertThat(harness.extractOutputValues()).extracting(a -> a.suffix).containsExactly(0, 0);
    assertThat(keys(harness, SidBucketAllocator.COUNT_AND_FREE)).isEqualTo(2);
  }
}
