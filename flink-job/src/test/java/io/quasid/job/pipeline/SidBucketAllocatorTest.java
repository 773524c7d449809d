package io.quasid.job.pipeline;

import static io.quasid.job.pipeline.StateProbe.keys;
import static io.quasid.job.pipeline.StateProbe.state;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SidBucketAllocatorTest {

  private static final int[] BUCKET = {1, 2, 3};
  private static final String KEY = "1-2-3";
  private static final int MAX_PARALLELISM = 128;

  private KeyedOneInputStreamOperatorTestHarness<String, BucketChange, BucketAssignment> harness;

  @BeforeEach
  void open() throws Exception {
    harness = harness(new SidBucketAllocator());
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
    BucketState bucket = bucket();
    assertThat(bucket.count).isEqualTo(4);
    assertThat(bucket.highWater).isEqualTo(4);
    assertThat(bucket.free).isEmpty();
    assertThat(bucket.members).containsExactly("c", "d", "e", "f");
    assertThat(bucket.suffixes).containsExactly(2, 0, 1, 3);
    assertThat(keys(harness, SidBucketAllocator.MEMBERS)).as("nothing spilled").isZero();
  }

  @Test
  void rejoiningMemberKeepsItsSuffixWithTheNewRevision() throws Exception {
    join("a", 1);
    join("b", 1);
    join("b", 4);

    assertThat(harness.extractOutputValues())
        .containsExactly(assigned("a", 0, 1), assigned("b", 1, 1), assigned("b", 1, 4));
    assertThat(bucket().count).isEqualTo(2);
    assertThat(bucket().highWater).isEqualTo(2);
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
    assertThat(bucket().count).isEqualTo(1);
    assertThat(bucket().highWater).isEqualTo(2);
    assertThat(bucket().free).as("suffix 0 free").containsExactly(0);

    leave("b", 2, true);
    leave("ghost", 3, false);

    assertThat(keys(harness, SidBucketAllocator.BUCKET)).isZero();
    assertThat(keys(harness, SidBucketAllocator.MEMBERS)).isZero();
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
    BucketState hot = bucket();
    assertThat(hot.free.length)
        .as("once: every free suffix inline, 1,001 ints rewritten on each change")
        .isEqualTo(BucketState.INLINE_FREE);
    assertThat(hot.members.length).isLessThanOrEqualTo(BucketState.INLINE_MEMBERS);
    assertThat(hot.count).isEqualTo(1_000);
    assertThat(hot.spilledFree).as("spilled").isEqualTo(1_000 - BucketState.INLINE_FREE);
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
    assertThat(bucket().count).isEqualTo(2_000);
    assertThat(bucket().highWater).isEqualTo(2_000);
    assertThat(bucket().free).isEmpty();
    assertThat(bucket().spilledFree).isZero();
    assertThat(keys(harness, SidBucketAllocator.SPILLED_FREE)).isZero();
  }

  /**
   * Random joins, then mostly leaves (spilling): distinct suffixes, below the peak membership. On
   * both backends: the heap backend hands out the stored object itself, so a change made without a
   * write would show there.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void suffixesStayDistinctAndBelowThePeakMembership(boolean rocksDb) throws Exception {
    harness.close();
    harness =
        harness(
            new SidBucketAllocator(),
            rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
    harness.open();
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
    assertThat(bucket().highWater).isEqualTo(peak);
  }

  /**
   * A savepoint of the earlier layout (members in the map, count and free suffixes in an int array,
   * in both of its forms) restores into this one, each bucket converted when it is next touched.
   */
  @Test
  void bucketsOfAnEarlierLayoutAreConvertedWhenNextTouched() throws Exception {
    restoreFromEarlier(
        earlier -> {
          // [count, free...]: members a=0, c=2, d=3; suffixes 1 and 4 free.
          writeEarlier(earlier, KEY, new int[] {3, 1, 4}, "a", 0, "c", 2, "d", 3);
          // [-2, count, high water, spilled, free...]: members p=1, q=2; suffix 0 free, high water
          // 3.
          writeEarlier(earlier, "7-7-7", new int[] {-2, 2, 3, 0, 0}, "p", 1, "q", 2);
        });

    join("c", 2); // first touch changes nothing: the converted bucket must still be written
    join("x", 1);
    join("y", 1);
    join("z", 1);
    leave("a", 2, false);
    join("w", 1);
    int[] other = {7, 7, 7};
    harness.processElement(BucketChange.leave("ghost", other, 1, 0, false, 10), 10);
    harness.processElement(BucketChange.join("r", other, 1, 0, 10), 10);
    harness.processElement(BucketChange.join("q", other, 2, 0, 10), 10);
    harness.processElement(BucketChange.join("s", other, 1, 0, 10), 10);

    assertThat(harness.extractOutputValues())
        .extracting(a -> a.itemId + "/" + a.suffix)
        .containsExactly("c/2", "x/1", "y/4", "z/5", "w/0", "r/0", "q/2", "s/3");
    assertThat(keys(harness, SidBucketAllocator.COUNT_AND_FREE))
        .as("converted buckets leave the earlier value behind")
        .isZero();
    assertThat(bucket().count).isEqualTo(6);
  }

  @Test
  void aJobRestoredFromItsOwnCheckpointDoesNotReadTheEarlierLayout() throws Exception {
    join("a", 1);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = harness(new SidBucketAllocator());
    harness.initializeState(snapshot);
    harness.open();
    state(harness, "9-9-9", SidBucketAllocator.COUNT_AND_FREE).update(new int[] {1});
    state(harness, "9-9-9", SidBucketAllocator.MEMBERS).put("old", 0);

    harness.processElement(BucketChange.join("b", new int[] {9, 9, 9}, 1, 0, 10), 10);
    join("c", 1);

    assertThat(harness.extractOutputValues())
        .extracting(a -> a.itemId + "/" + a.suffix)
        .as("the planted earlier value is not read: b takes suffix 0")
        .containsExactly("b/0", "c/1");
  }

  /** Earlier buckets with spilled free suffixes: the smallest is still reused first. */
  @Test
  void earlierBucketsWithSpilledFreeSuffixesConvert() throws Exception {
    int[] forty = new int[41];
    forty[0] = 1; // one member (m = 40), suffixes 0..39 free
    for (int i = 0; i < 40; i++) {
      forty[i + 1] = i;
    }
    restoreFromEarlier(
        earlier -> {
          writeEarlier(earlier, KEY, forty, "m", 40);
          // members n = 0, o = 2; suffix 1 free inline, 5 and 7 spilled (7 on top); high water 40
          writeEarlier(earlier, "7-7-7", new int[] {-2, 2, 40, 2, 1}, "n", 0, "o", 2);
          state(earlier, "7-7-7", SidBucketAllocator.SPILLED_FREE).put(0, 5);
          state(earlier, "7-7-7", SidBucketAllocator.SPILLED_FREE).put(1, 7);
        });

    for (int i = 0; i < 34; i++) {
      join("new" + i, 1);
    }
    int[] other = {7, 7, 7};
    for (String item : new String[] {"p", "q", "r", "s"}) {
      harness.processElement(BucketChange.join(item, other, 1, 0, 10), 10);
    }

    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 34; i++) {
      expected.add(i);
    }
    expected.addAll(List.of(1, 7, 5, 40));
    assertThat(harness.extractOutputValues()).extracting(a -> a.suffix).isEqualTo(expected);
  }

  /**
   * A job restored from an earlier savepoint keeps reading the earlier layout after its own
   * checkpoints, also rescaled: a bucket not touched before them is still there.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void theEarlierLayoutIsReadAfterLaterCheckpointsAndRescaling(int parallelism) throws Exception {
    restoreFromEarlier(earlier -> writeEarlier(earlier, KEY, new int[] {2, 0}, "b", 1, "c", 2));
    harness.processElement(BucketChange.join("x", new int[] {5, 5, 5}, 1, 0, 10), 10);
    OperatorSubtaskState checkpoint = harness.snapshot(2, 2);
    harness.close();

    List<String> out = new ArrayList<>();
    for (int subtask = 0; subtask < parallelism; subtask++) {
      harness =
          harness(
              new SidBucketAllocator(), new EmbeddedRocksDBStateBackend(), parallelism, subtask);
      harness.initializeState(
          AbstractStreamOperatorTestHarness.repartitionOperatorState(
              checkpoint, MAX_PARALLELISM, 1, parallelism, subtask));
      harness.open();
      if (ownsKey(harness, KEY)) {
        join("c", 3);
        join("y", 1);
        join("z", 1);
        out.addAll(
            harness.extractOutputValues().stream().map(a -> a.itemId + "/" + a.suffix).toList());
      }
      harness.close();
    }
    harness = harness(new SidBucketAllocator());
    harness.open();

    assertThat(out).containsExactly("c/2", "y/0", "z/3");
  }

  @Test
  void aJobStartedEmptyDoesNotReadTheEarlierLayout() throws Exception {
    state(harness, KEY, SidBucketAllocator.COUNT_AND_FREE).update(new int[] {1});
    state(harness, KEY, SidBucketAllocator.MEMBERS).put("old", 0);

    join("b", 1);

    assertThat(harness.extractOutputValues())
        .extracting(a -> a.itemId + "/" + a.suffix)
        .as("the planted earlier value is not read: b takes suffix 0")
        .containsExactly("b/0");
  }

  @Test
  void aBucketEmptiedAfterSpillingLeavesNoState() throws Exception {
    for (int i = 0; i < 80; i++) {
      join("i" + i, 1);
    }
    assertThat(keys(harness, SidBucketAllocator.MEMBERS)).isEqualTo(1);
    for (int i = 0; i < 80; i++) {
      leave("i" + i, 2, false);
      if (i == 78) {
        assertThat(keys(harness, SidBucketAllocator.SPILLED_FREE)).as("spilled").isEqualTo(1);
      }
    }

    assertThat(keys(harness, SidBucketAllocator.BUCKET)).isZero();
    assertThat(keys(harness, SidBucketAllocator.MEMBERS)).isZero();
    assertThat(keys(harness, SidBucketAllocator.SPILLED_FREE)).isZero();
  }

  @Test
  void aLeaveOfANonMemberChangesNothing() throws Exception {
    join("a", 1);
    join("b", 1);
    harness.getOutput().clear();

    leave("ghost", 2, false);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(bucket().count).isEqualTo(2);
    assertThat(bucket().members).containsExactly("a", "b");
    assertThat(bucket().free).isEmpty();
  }

  /** The job runs with Kryo off: the bucket must stay a POJO as it grows fields. */
  @Test
  void theBucketIsAFlinkPojo() {
    assertThat(TypeInformation.of(BucketState.class)).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void bucketsAreIndependent() throws Exception {
    join("a", 1);
    harness.processElement(BucketChange.join("b", new int[] {1, 2, 4}, 1, 0, 10), 10);

    assertThat(harness.extractOutputValues()).extracting(a -> a.suffix).containsExactly(0, 0);
    assertThat(keys(harness, SidBucketAllocator.BUCKET)).isEqualTo(2);
  }

  private BucketState bucket() throws Exception {
    return state(harness, KEY, SidBucketAllocator.BUCKET).value();
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, BucketChange, BucketAssignment>
      harness(KeyedProcessFunction<String, BucketChange, BucketAssignment> function)
          throws Exception {
    return harness(function, new EmbeddedRocksDBStateBackend());
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, BucketChange, BucketAssignment>
      harness(
          KeyedProcessFunction<String, BucketChange, BucketAssignment> function,
          StateBackend backend)
          throws Exception {
    return harness(function, backend, 1, 0);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, BucketChange, BucketAssignment>
      harness(
          KeyedProcessFunction<String, BucketChange, BucketAssignment> function,
          StateBackend backend,
          int parallelism,
          int subtask)
          throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(function),
            BucketChange::bucketKey,
            Types.STRING,
            MAX_PARALLELISM,
            parallelism,
            subtask);
    harness.setStateBackend(backend);
    return harness;
  }

  /** Replaces the harness by an allocator restored from a savepoint {@code write} made earlier. */
  private void restoreFromEarlier(EarlierWriter write) throws Exception {
    OperatorSubtaskState savepoint;
    try (var earlier = harness(new EarlierLayout())) {
      earlier.open();
      write.accept(earlier);
      savepoint = earlier.snapshot(1, 1);
    }
    harness.close();
    harness = harness(new SidBucketAllocator());
    harness.initializeState(savepoint);
    harness.open();
  }

  private interface EarlierWriter {
    void accept(
        KeyedOneInputStreamOperatorTestHarness<String, BucketChange, BucketAssignment> earlier)
        throws Exception;
  }

  private static boolean ownsKey(AbstractStreamOperatorTestHarness<?> harness, String key) {
    int group = KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM);
    return harness.getEnvironment().getTaskInfo().getIndexOfThisSubtask()
        == KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
            MAX_PARALLELISM,
            harness.getEnvironment().getTaskInfo().getNumberOfParallelSubtasks(),
            group);
  }

  /** Writes a bucket of the earlier layout: its count-and-free value, then (item, suffix) pairs. */
  private static void writeEarlier(
      KeyedOneInputStreamOperatorTestHarness<String, BucketChange, BucketAssignment> harness,
      String key,
      int[] countAndFree,
      Object... members)
      throws Exception {
    state(harness, key, SidBucketAllocator.COUNT_AND_FREE).update(countAndFree);
    for (int i = 0; i < members.length; i += 2) {
      state(harness, key, SidBucketAllocator.MEMBERS)
          .put((String) members[i], (Integer) members[i + 1]);
    }
  }

  /** The allocator as it was before {@link BucketState}: no state of its own in this test. */
  private static final class EarlierLayout
      extends KeyedProcessFunction<String, BucketChange, BucketAssignment> {
    @Override
    public void processElement(BucketChange change, Context ctx, Collector<BucketAssignment> out) {}
  }
}
