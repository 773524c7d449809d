package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PairMasksTest {

  // rows: 0 and 1 are the same item 1; row 2 is item 2, a positive of item 1 (rows 0 -> 2);
  // rows 2 and 3 share product group 7; row 3 is item 3.
  private static final TrainBatch BATCH =
      new TrainBatch(
          new float[][] {{1, 0}, {1, 0}, {0, 1}, {1, 0.01f}},
          new long[] {1, 1, 2, 3},
          new int[] {-1, -1, 7, 7},
          new int[][] {{0, 2}});

  private static QuasidConfig.Builder config() {
    return QuasidConfig.builder(2).levels(3).partialRadius(1);
  }

  @Test
  void defaultMaskDropsOnlySameItemAndPositivePairs() {
    boolean[][] valid = PairMasks.validPairs(BATCH, config().build());
    assertThat(valid[0][1]).as("same item").isFalse();
    assertThat(valid[0][2]).as("positive pair").isFalse();
    assertThat(valid[1][2]).as("positive by item id, other row").isFalse();
    assertThat(valid[2][3]).as("same group is a real conflict by default").isTrue();
    assertThat(valid[0][3]).isTrue();
    assertThat(valid[1][3]).isTrue();
    assertSymmetricWithFalseDiagonal(valid);
  }

  @Test
  void groupMaskIsAnOptionOffByDefault() {
    assertThat(config().build().maskSameGroup()).isFalse();
    boolean[][] valid = PairMasks.validPairs(BATCH, config().maskSameGroup(true).build());
    assertThat(valid[2][3]).as("same group").isFalse();
    assertThat(valid[0][2]).isFalse();
    assertThat(valid[0][3]).isTrue();
  }

  @Test
  void nearDuplicatesAreMaskedWhenEnabled() {
    QuasidConfig c = config().maskNearDuplicates(true).nearDuplicateCosine(0.99f).build();
    boolean[][] valid = PairMasks.validPairs(BATCH, c);
    assertThat(valid[0][3]).as("cosine 0.99995").isFalse();
    assertThat(PairMasks.validPairs(BATCH, config().build())[0][3]).isTrue();
  }

  @Test
  void withoutMaskingEveryPairOfDistinctRowsQualifies() {
    boolean[][] valid = PairMasks.validPairs(BATCH, config().masking(false).build());
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertThat(valid[i][j]).isEqualTo(i != j);
      }
    }
  }

  @Test
  void hammingCountsDifferingLevels() {
    int[][] h = PairMasks.hamming(new int[][] {{0, 1, 2}, {0, 1, 3}, {5, 1, 3}});
    assertThat(h[0][1]).isEqualTo(1);
    assertThat(h[0][2]).isEqualTo(2);
    assertThat(h[1][2]).isEqualTo(1);
    assertThat(h[2][0]).isEqualTo(2);
  }

  @Test
  void tiersSplitQualifiedUpperTrianglePairsByHamming() {
    int[][] codes = {{0, 1, 2}, {0, 1, 2}, {0, 1, 3}, {5, 6, 7}};
    boolean[][] all = new boolean[4][4];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        all[i][j] = i != j;
      }
    }
    CollisionTiers tiers = PairMasks.tiers(all, codes, 1);
    assertThat(tiers.fullPairs()).isEqualTo(1);
    assertThat(tiers.partialPairs()).isEqualTo(2);
    assertThat(tiers.full()[0][1]).isEqualTo(1f);
    assertThat(tiers.full()[1][0]).as("only i < j").isZero();
    assertThat(tiers.partial()[0][2]).isEqualTo(1f);
    assertThat(tiers.partial()[1][2]).isEqualTo(1f);
    assertThat(tiers.partial()[0][3]).as("H = 3 > radius").isZero();

    all[0][1] = false;
    all[1][0] = false;
    assertThat(PairMasks.tiers(all, codes, 2).fullPairs()).as("masked pair").isZero();
    assertThat(PairMasks.tiers(all, codes, 2).partialPairs()).isEqualTo(2);
  }

  @Test
  void tiersCountAndSplitPartialPairsByHamming() {
    int[][] codes = {{0, 1, 2}, {0, 1, 3}, {0, 4, 5}, {9, 9, 9}};
    boolean[][] all = new boolean[4][4];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        all[i][j] = i != j;
      }
    }
    // H: (0,1) = 1, (0,2) = 2, (1,2) = 2, (x,3) = 3
    CollisionTiers tiers = PairMasks.tiers(all, codes, 2, true);
    assertThat(tiers.partialPairs()).isEqualTo(3);
    assertThat(tiers.partialPairsByHamming()).containsExactly(1, 2);
    assertThat(tiers.partialByHamming()[0][0][1]).isEqualTo(1f);
    assertThat(tiers.partialByHamming()[1][0][2]).isEqualTo(1f);
    assertThat(tiers.partialByHamming()[1][1][2]).isEqualTo(1f);
    assertThat(tiers.partialByHamming()[0][0][2]).isZero();
    assertThat(PairMasks.tiers(all, codes, 2).partialByHamming()).as("not asked for").isNull();
  }

  private static void assertSymmetricWithFalseDiagonal(boolean[][] m) {
    for (int i = 0; i < m.length; i++) {
      assertThat(m[i][i]).isFalse();
      for (int j = 0; j < m.length; j++) {
        assertThat(m[i][j]).isEqualTo(m[j][i]);
      }
    }
  }
}
