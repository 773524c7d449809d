package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  @Test
  void topRankedTargetWithoutTies() {
    assertThat(RankingMetrics.recall(0, 0, 5)).isEqualTo(1.0);
    assertThat(RankingMetrics.ndcg(0, 0, 5)).isEqualTo(1.0);
  }

  @Test
  void thirdPlaceScoresHalf() {
    // rank 3 (1-based): NDCG = 1 / log2(4) = 0.5
    assertThat(RankingMetrics.ndcg(2, 0, 5)).isCloseTo(0.5, within(1e-12));
    assertThat(RankingMetrics.recall(2, 0, 5)).isEqualTo(1.0);
  }

  @Test
  void missesBeyondCutoff() {
    assertThat(RankingMetrics.recall(5, 0, 5)).isZero();
    assertThat(RankingMetrics.ndcg(5, 0, 5)).isZero();
    assertThat(RankingMetrics.recall(5, 0, 10)).isEqualTo(1.0);
    assertThat(RankingMetrics.ndcg(9, 0, 10))
        .isCloseTo(1 / (Math.log(11) / Math.log(2)), within(1e-12));
  }

  @Test
  void tiesAreAveragedOverRandomOrder() {
    // 3 greater, 3 tied: target equally likely at positions 3..6 (0-based); with K=5 positions 3,4
    // hit
    assertThat(RankingMetrics.recall(3, 3, 5)).isEqualTo(0.5);
    double expected = (1 / (Math.log(5) / Math.log(2)) + 1 / (Math.log(6) / Math.log(2))) / 4;
    assertThat(RankingMetrics.ndcg(3, 3, 5)).isCloseTo(expected, within(1e-12));
    // a tie with one item at the top: positions 0 and 1
    assertThat(RankingMetrics.ndcg(0, 1, 5))
        .isCloseTo((1 + 1 / (Math.log(3) / Math.log(2))) / 2, within(1e-12));
  }

  @Test
  void summaryAveragesUsers() {
    RankingSummary.Accumulator acc = new RankingSummary.Accumulator();
    acc.add(0, 0);
    acc.add(7, 0);
    acc.add(20, 0);

    RankingSummary s = acc.summary();

    assertThat(s.recall5()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(s.recall10()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(s.ndcg5()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(s.ndcg10()).isCloseTo((1 + 1 / (Math.log(9) / Math.log(2))) / 3, within(1e-12));
  }
}
