package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamReplayTest {

  // user 0: 3 1 2 ; user 1: 1 4 ; user 2: 0 0 5 4
  private static final int[][] SEQUENCES = {{3, 1, 2}, {1, 4}, {0, 0, 5, 4}};

  @Test
  void interleavesUsersPositionByPositionAsTheDemoPublishes() {
    StreamReplay r = StreamReplay.interleave(SEQUENCES, 7);
    assertThat(r.items()).containsExactly(3, 1, 0, 1, 4, 0, 2, 5, 4);
    assertThat(r.users()).containsExactly(0, 1, 2, 0, 1, 2, 0, 2, 2);
    assertThat(r.length()).isEqualTo(9);
  }

  @Test
  void anItemArrivesWithItsFirstInteraction() {
    StreamReplay r = StreamReplay.interleave(SEQUENCES, 7);
    assertThat(r.arrivalOrder()).containsExactly(3, 1, 0, 4, 2, 5);
    assertThat(r.firstArrival()).containsExactly(2, 1, 6, 0, 4, 7, -1);
    assertThat(r.distinctItems()).isEqualTo(6);
    assertThat(r.arrivedBefore(3)).containsExactly(true, true, false, true, false, false, false);
    assertThat(r.arrivedBefore(0)).containsOnly(false);
  }

  @Test
  void startPointEndsAfterTheLastStartItemsFirstInteraction() {
    StreamReplay r = StreamReplay.interleave(SEQUENCES, 7);
    // ceil(0.5 x 6) = 3 start items: 3, 1, 0; item 0 first appears at event 2
    assertThat(r.startPoint(0.5)).isEqualTo(3);
    // ceil(0.6 x 6) = 4: item 4 at event 4
    assertThat(r.startPoint(0.6)).isEqualTo(5);
    assertThat(r.startPoint(0.01)).isEqualTo(1);
    assertThatThrownBy(() -> r.startPoint(1.0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void checkpointsSplitTheRestOfTheStreamEvenlyAndEndAtItsEnd() {
    StreamReplay r = StreamReplay.interleave(SEQUENCES, 7);
    assertThat(r.checkpoints(3, 3)).containsExactly(3, 5, 7, 9);
    assertThat(r.checkpoints(0, 2)).containsExactly(0, 5, 9);
    int[] ten = r.checkpoints(1, 10);
    assertThat(ten).hasSize(11).startsWith(1).endsWith(9);
    assertThat(ten).isSorted();
  }

  @Test
  void consecutivePairsFollowEachUsersStreamedItemsUpToTheEnd() {
    StreamReplay r = StreamReplay.interleave(SEQUENCES, 7);
    // events: 0:(u0,3) 1:(u1,1) 2:(u2,0) 3:(u0,1) 4:(u1,4) 5:(u2,0) 6:(u0,2) 7:(u2,5) 8:(u2,4)
    assertThat(r.consecutivePairs(9))
        .isDeepEqualTo(new int[][] {{3, 1}, {1, 4}, {1, 2}, {0, 5}, {5, 4}});
    assertThat(r.consecutivePairs(5)).isDeepEqualTo(new int[][] {{3, 1}, {1, 4}});
    assertThat(r.consecutivePairs(0)).isEmpty();
  }
}
