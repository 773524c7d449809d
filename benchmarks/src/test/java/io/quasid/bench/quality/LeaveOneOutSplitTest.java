package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeaveOneOutSplitTest {

  @Test
  void holdsOutLastTwoItems() {
    LeaveOneOutSplit split = LeaveOneOutSplit.of(new int[][] {{5, 6, 7, 8, 9}, {1, 2}, {3, 4, 0}});

    assertThat(split.numUsers()).isEqualTo(2);
    assertThat(split.train()[0]).containsExactly(5, 6, 7);
    assertThat(split.validationTargets()).containsExactly(8, 4);
    assertThat(split.testTargets()).containsExactly(9, 0);
    assertThat(split.testHistories()[0]).containsExactly(5, 6, 7, 8);
    assertThat(split.train()[1]).containsExactly(3);
    assertThat(split.trainExamples()).isEqualTo(2);
  }
}
