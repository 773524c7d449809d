package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.state.DefaultOperatorStateBackendBuilder;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sweep's progress on Flink's own operator state backend. A second {@link SweepProgress} on the
 * same store reads what the first wrote, as a restored subtask reads its union state.
 */
class SweepProgressTest {

  private OperatorStateStore store;

  @BeforeEach
  void createStore() throws Exception {
    store =
        new DefaultOperatorStateBackendBuilder(
                getClass().getClassLoader(),
                new ExecutionConfig(),
                false,
                List.of(),
                new CloseableRegistry())
            .build();
  }

  @Test
  void aFreshStoreHasNoSweepInProgressAndNothingSwept() throws Exception {
    SweepProgress progress = SweepProgress.of(store);

    assertThat(progress.restoredVersion()).isEqualTo(-1);
    progress.resume(3, new KeyGroupRange(0, 9));
    assertThat(progress.unsweptGroups(new KeyGroupRange(0, 9))).isEqualTo(10);
    assertThat(progress.anySwept()).isFalse();
  }

  @Test
  void sweptKeyGroupsAreWrittenAsRangesOfTheSweptVersion() throws Exception {
    SweepProgress progress = SweepProgress.of(store);
    progress.start(7);
    progress.sweptAll(new KeyGroupRange(0, 3));
    progress.sweptAll(new KeyGroupRange(6, 6));

    progress.snapshot(7);

    assertThat(store.getUnionListState(SweepProgress.SWEEPING).get()).containsExactly(7L);
    assertThat(ranges()).containsExactly(Tuple3.of(7L, 0, 3), Tuple3.of(7L, 6, 6));
  }

  @Test
  void aResumedSubtaskSkipsOnlyItsOwnGroupsThatTheRestoredVersionHadSwept() throws Exception {
    SweepProgress before = SweepProgress.of(store);
    before.start(5);
    before.sweptAll(new KeyGroupRange(0, 4)); // swept by the old subtask 0
    before.sweptAll(new KeyGroupRange(12, 15)); // and by the old subtask 1
    before.snapshot(5);
    store.getUnionListState(SweepProgress.SWEPT).add(Tuple3.of(4L, 5, 11)); // an older version's

    SweepProgress after = SweepProgress.of(store); // now owning 3..13, after a rescale
    assertThat(after.restoredVersion()).isEqualTo(5);
    KeyGroupRange mine = new KeyGroupRange(3, 13);
    after.resume(5, mine);

    List<Integer> swept = new ArrayList<>();
    for (int g = 3; g <= 13; g++) {
      if (after.isSwept(g)) {
        swept.add(g);
      }
    }
    assertThat(swept).containsExactly(3, 4, 12, 13);
    assertThat(after.unsweptGroups(mine)).isEqualTo(7);
  }

  @Test
  void noSweepWritesNoVersionAndNewStartsForgetTheOldGroups() throws Exception {
    SweepProgress progress = SweepProgress.of(store);
    progress.start(2);
    progress.sweptAll(new KeyGroupRange(0, 3));
    progress.start(-1); // KEEP: the version is live without a sweep

    progress.snapshot(-1);

    assertThat(store.getUnionListState(SweepProgress.SWEEPING).get()).isEmpty();
    assertThat(ranges()).isEmpty();
    progress.start(3);
    assertThat(progress.anySwept()).isFalse();
  }

  private List<Tuple3<Long, Integer, Integer>> ranges() throws Exception {
    List<Tuple3<Long, Integer, Integer>> out = new ArrayList<>();
    store.getUnionListState(SweepProgress.SWEPT).get().forEach(out::add);
    return out;
  }
}
