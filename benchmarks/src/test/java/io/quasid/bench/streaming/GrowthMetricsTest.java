package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GrowthMetricsTest {

  private static final int[][] CODES = {
    {1, 2, 3}, // 0
    {1, 2, 4}, // 1: shares L1+L2 with 0
    {1, 5, 3}, // 2: shares L1 only with 0
    {7, 2, 3}, // 3: shares nothing at L1
    {1, 2, 3}, // 4: same tuple as 0
    null // 5: not live
  };
  private static final boolean[] ALL = {true, true, true, true, true, false};

  @Test
  void coherenceCountsPairsSharingTheirFirstLevels() {
    int[][] pairs = {{0, 1}, {0, 2}, {0, 3}, {0, 4}};
    assertThat(GrowthMetrics.coherence(CODES, pairs, ALL, 1)).isCloseTo(0.75, within(1e-12));
    assertThat(GrowthMetrics.coherence(CODES, pairs, ALL, 2)).isCloseTo(0.5, within(1e-12));
    assertThat(GrowthMetrics.coherence(CODES, pairs, ALL, 3)).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void coherenceSkipsSelfPairsAndPairsWithAnItemNotCounted() {
    int[][] pairs = {{0, 1}, {0, 0}, {2, 5}, {3, 0}};
    boolean[] counted = {true, true, true, true, true, false};
    // counted: (0,1) shares, (3,0) does not
    assertThat(GrowthMetrics.coherence(CODES, pairs, counted, 2)).isCloseTo(0.5, within(1e-12));
    assertThat(GrowthMetrics.countedPairs(pairs, counted)).isEqualTo(2);
    boolean[] none = new boolean[6];
    assertThat(GrowthMetrics.coherence(CODES, pairs, none, 2)).isNaN();
  }

  @Test
  void randomPairsAreDistinctLiveItemsAndSeeded() {
    boolean[] live = {false, true, true, false, true, false};
    int[][] a = GrowthMetrics.randomPairs(live, 200, 3);
    assertThat(a).hasNumberOfRows(200);
    for (int[] p : a) {
      assertThat(p[0]).isNotEqualTo(p[1]);
      assertThat(live[p[0]] && live[p[1]]).isTrue();
    }
    assertThat(GrowthMetrics.randomPairs(live, 200, 3)).isDeepEqualTo(a);
    assertThat(GrowthMetrics.randomPairs(new boolean[] {true, false}, 5, 1)).isEmpty();
  }

  @Test
  void collidingShareIsAmongTheGivenItemsAgainstTheWholeLiveCatalogue() {
    // 0 and 4 share a tuple; among {3, 4}: only 4 collides
    boolean[] among = {false, false, false, true, true, true};
    assertThat(GrowthMetrics.collidingShare(CODES, among)).isCloseTo(0.5, within(1e-12));
    assertThat(GrowthMetrics.collidingShare(CODES, ALL)).isCloseTo(0.4, within(1e-12));
    assertThat(GrowthMetrics.collidingShare(CODES, new boolean[6])).isNaN();
  }

  @Test
  void churnIsTheShareOfExistingItemsWhoseTupleChanged() {
    int[][] after = {{1, 2, 3}, {9, 2, 4}, {1, 5, 3}, {7, 2, 0}, {1, 2, 3}, {0, 0, 0}};
    // live under both: 0-4; changed: 1 and 3
    assertThat(GrowthMetrics.churn(CODES, after, ALL)).isCloseTo(0.4, within(1e-12));
    boolean[] some = {true, false, false, false, false, false};
    assertThat(GrowthMetrics.churn(CODES, after, some)).isZero();
    assertThat(GrowthMetrics.churn(CODES, after, new boolean[6])).isZero();
  }

  @Test
  void prefixChurnComparesOnlyTheFirstLevels() {
    int[][] after = {{1, 2, 3}, {9, 2, 4}, {1, 5, 3}, {7, 2, 0}, {1, 2, 3}, {0, 0, 0}};
    // 1 changed its level-1 code, 3 only its level-3 code
    assertThat(GrowthMetrics.churn(CODES, after, ALL, 1)).isCloseTo(0.2, within(1e-12));
    assertThat(GrowthMetrics.churn(CODES, after, ALL, 2)).isCloseTo(0.2, within(1e-12));
    assertThat(GrowthMetrics.churn(CODES, after, ALL, 3)).isCloseTo(0.4, within(1e-12));
  }

  @Test
  void liveRowsDropsItemsNotLive() {
    assertThat(GrowthMetrics.liveRows(CODES)).hasNumberOfRows(5);
  }
}
