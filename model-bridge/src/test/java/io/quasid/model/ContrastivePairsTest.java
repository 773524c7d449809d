package io.quasid.model;

import static io.quasid.model.QuasidConfig.ContrastiveNegatives.BATCH;
import static io.quasid.model.QuasidConfig.ContrastiveNegatives.PAIRS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContrastivePairsTest {

  @Test
  void otherKnownPositivesLeaveTheDenominator() {
    // items by row: 10, 20, 30, 40, 20. pairs: (10 -> 20), (10 -> 30), (40 -> 20 again, row 4)
    TrainBatch batch =
        new TrainBatch(
            new float[5][1],
            new long[] {10, 20, 30, 40, 20},
            null,
            new int[][] {{0, 1}, {0, 2}, {3, 4}});
    ContrastivePairs p = ContrastivePairs.of(batch, PAIRS);
    assertThat(p.triggerRows()).containsExactly(0, 0, 3);
    assertThat(p.targetRows()).containsExactly(1, 2, 4);
    float[][] f = p.keepTriggerToTarget();
    // trigger 10: target 30 (pair 1) is another positive of 10; target 20 (pair 2) duplicates it
    assertThat(f[0]).containsExactly(1, 0, 0);
    // trigger 10 (towards 30): both other targets are item 20, a known positive of 10
    assertThat(f[1]).containsExactly(0, 1, 0);
    // trigger 40: target 20 of pair 0 is the same item as its own positive
    assertThat(f[2]).containsExactly(0, 1, 1);
    float[][] b = p.keepTargetToTrigger();
    // target 20 of pair 0: trigger 10 is its own positive's item, trigger 40 another positive
    assertThat(b[0]).containsExactly(1, 0, 0);
    assertThat(b[1]).containsExactly(0, 1, 1);
    assertThat(b[2]).containsExactly(0, 0, 1);
  }

  @Test
  void againstTheWholeBatchEveryOtherItemIsANegative() {
    // items by row: 10, 20, 30, 40, 20, 50. pairs: (10 -> 20), (40 -> 20 again, row 4); rows 2
    // and 5 (items 30, 50) are catalogue rows of no pair
    TrainBatch batch =
        new TrainBatch(
            new float[6][1],
            new long[] {10, 20, 30, 40, 20, 50},
            null,
            new int[][] {{0, 1}, {3, 4}});
    ContrastivePairs p = ContrastivePairs.of(batch, BATCH);
    float[][] f = p.keepTriggerToTarget();
    // trigger 10 keeps its target row 1, drops itself and the other copy of 20 (row 4)
    assertThat(f[0]).containsExactly(0, 1, 1, 1, 0, 1);
    // trigger 40 keeps its own target row 4 only among the 20s, and meets 10, 30, 50
    assertThat(f[1]).containsExactly(1, 0, 1, 0, 1, 1);
    float[][] b = p.keepTargetToTrigger();
    // target 20 of pair 0: its trigger row 0; 40 is another known positive of 20
    assertThat(b[0]).containsExactly(1, 0, 1, 0, 0, 1);
    assertThat(b[1]).containsExactly(0, 0, 1, 1, 0, 1);
  }

  @Test
  void rejectsRowsOutsideTheBatch() {
    TrainBatch batch =
        new TrainBatch(new float[2][1], new long[] {1, 2}, null, new int[][] {{0, 2}});
    assertThatThrownBy(() -> ContrastivePairs.of(batch, PAIRS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
  }
}
