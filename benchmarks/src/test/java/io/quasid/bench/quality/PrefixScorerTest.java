package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PrefixScorerTest {

  // Items 0-3 warm; 4 collides fully with 0 and 1; 5 shares (1, *) with 2 and 3; 6 shares nothing.
  private static final int[][] CODES = {{0, 0}, {0, 0}, {1, 0}, {1, 1}, {0, 0}, {1, 2}, {2, 2}};
  private static final boolean[] COLD = {false, false, false, false, true, true, true};

  @Test
  void coldItemsTakeTheMeanLogitOfTheirLongestWarmPrefix() {
    double[] logits = {0.7, 0.7, 1.0, 3.0, -5, -5, -5};

    new PrefixScorer(CODES, COLD).apply(logits);

    assertThat(logits[4]).isEqualTo(0.7); // exact tie with its full-SID twins
    assertThat(logits[5]).isCloseTo(2.0, within(1e-12)); // mean of items 2 and 3
    assertThat(logits[6]).isCloseTo((0.7 + 0.7 + 1.0 + 3.0) / 4, within(1e-12)); // all warm
    assertThat(logits).startsWith(0.7, 0.7, 1.0, 3.0);
  }

  @Test
  void reportsSharedPrefixLengths() {
    assertThat(new PrefixScorer(CODES, COLD).prefixLengthHistogram(2)).containsExactly(1, 1, 1);
  }

  @Test
  void noColdItemsIsANoOp() {
    double[] logits = {1, 2, 3, 4, 5, 6, 7};
    PrefixScorer scorer = new PrefixScorer(CODES, new boolean[7]);

    scorer.apply(logits);

    assertThat(scorer.hasColdItems()).isFalse();
    assertThat(logits).containsExactly(1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void recommenderReportsBothScorers() {
    int[][] codes = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 2}};
    boolean[] cold = {false, false, false, false, true};
    SidRecommender model =
        new SidRecommender(codes, 3, new RecommenderConfig(4, 3, 2, 1, 0.01, 0.1), 3);
    int[][] histories = {{0, 1}, {2, 3}};
    int[] targets = {4, 1};

    SidRecommender.TestRanking plain =
        model.evaluateTest(histories, targets, new PrefixScorer(codes, new boolean[5]));
    SidRecommender.TestRanking withCold =
        model.evaluateTest(histories, targets, new PrefixScorer(codes, cold));

    assertThat(plain.prefix().ndcg10()).containsExactly(plain.sum().ndcg10());
    assertThat(withCold.sum().ndcg10()).containsExactly(plain.sum().ndcg10());
    assertThat(withCold.summary().ndcg10())
        .isCloseTo((plain.sum().ndcg10()[0] + plain.sum().ndcg10()[1]) / 2, within(1e-12));
  }
}
