package io.quasid.job.pipeline;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.state.KeyGroupRange;

/**
 * How far a {@link CatalogueSweep} got, carried across restores and rescales in two union list
 * states of {@link SidAssigner}: the version being swept, and the key groups whose sweep of it had
 * ended. Union state, because after a rescale any subtask may own a key group whose sweep another
 * subtask finished: it must not rank those items again, or a {@code BUDGET} subtask that had moved
 * its cap's worth within a few key groups could have other subtasks move more there.
 */
final class SweepProgress {

  /** Versions whose sweep had not finished on some subtask (every subtask resumes the newest). */
  static final ListStateDescriptor<Long> SWEEPING =
      new ListStateDescriptor<>("sweeping-version", Types.LONG);

  /** (version, first, last): key groups whose sweep of the version had ended. */
  static final ListStateDescriptor<Tuple3<Long, Integer, Integer>> SWEPT =
      new ListStateDescriptor<>("swept-key-groups", Types.TUPLE(Types.LONG, Types.INT, Types.INT));

  private final ListState<Long> sweepingState;
  private final ListState<Tuple3<Long, Integer, Integer>> sweptState;

  /** The version whose sweep was in progress at the restored checkpoint (-1: none). */
  private final long restoredVersion;

  /** Every subtask's swept key groups at the restored checkpoint. */
  private final List<Tuple3<Long, Integer, Integer>> restoredSwept = new ArrayList<>();

  /**
   * The version whose sweep has ended in {@link #swept} of this subtask's key groups (-1: none).
   */
  private long version = -1;

  private final BitSet swept = new BitSet();

  private SweepProgress(
      ListState<Long> sweepingState, ListState<Tuple3<Long, Integer, Integer>> sweptState)
      throws Exception {
    this.sweepingState = sweepingState;
    this.sweptState = sweptState;
    long restored = -1;
    for (Long v : sweepingState.get()) {
      restored = Math.max(restored, v);
    }
    restoredVersion = restored;
    sweptState.get().forEach(restoredSwept::add);
  }

  /** Registers (or restores) the operator's progress states. */
  static SweepProgress of(OperatorStateStore store) throws Exception {
    return new SweepProgress(store.getUnionListState(SWEEPING), store.getUnionListState(SWEPT));
  }

  /** The version whose sweep was in progress at the restored checkpoint, or -1. */
  long restoredVersion() {
    return restoredVersion;
  }

  /**
   * Resumes {@code version}'s progress at a restore: the key groups of {@code mine} whose sweep of
   * it had ended on any subtask count as swept.
   */
  void resume(long version, KeyGroupRange mine) {
    start(version);
    for (Tuple3<Long, Integer, Integer> t : restoredSwept) {
      int first = Math.max(t.f1, mine.getStartKeyGroup());
      int last = Math.min(t.f2, mine.getEndKeyGroup());
      if (t.f0 == version && first <= last) {
        swept.set(first, last + 1);
      }
    }
  }

  /** A sweep of {@code version} starts (-1: no sweep): no key group is swept yet. */
  void start(long version) {
    this.version = version;
    swept.clear();
  }

  /** Whether any key group's sweep had ended before a restore: only then is one worth hashing. */
  boolean anySwept() {
    return !swept.isEmpty();
  }

  /** Whether {@code keyGroup}'s sweep of the current version had ended before a restore. */
  boolean isSwept(int keyGroup) {
    return swept.get(keyGroup);
  }

  /** How many of {@code mine}'s key groups are still to sweep. */
  int unsweptGroups(KeyGroupRange mine) {
    return mine.getNumberOfKeyGroups() - swept.cardinality();
  }

  /** The sweep has ended on every key group of {@code mine}. */
  void sweptAll(KeyGroupRange mine) {
    swept.set(mine.getStartKeyGroup(), mine.getEndKeyGroup() + 1);
  }

  /**
   * Writes the checkpoint's progress.
   *
   * @param sweeping the version being swept, or -1
   */
  void snapshot(long sweeping) throws Exception {
    sweepingState.update(sweeping >= 0 ? List.of(sweeping) : List.of());
    List<Tuple3<Long, Integer, Integer>> ranges = new ArrayList<>();
    if (version >= 0) {
      for (int first = swept.nextSetBit(0); first >= 0; ) {
        int end = swept.nextClearBit(first);
        ranges.add(Tuple3.of(version, first, end - 1));
        first = swept.nextSetBit(end);
      }
    }
    sweptState.update(ranges);
  }
}
