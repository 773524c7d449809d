package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SidRecommenderTest {

  /** Items 2 and 3 share a full SID. */
  private static final int[][] CODES = {{0, 0}, {0, 1}, {1, 2}, {1, 2}, {2, 0}};

  private static final RecommenderConfig CONFIG = new RecommenderConfig(4, 3, 8, 1, 0.01, 0.5);

  private static final int[] HISTORY = {4, 0, 2, 1};

  @Test
  void lossIsCrossEntropyOfTheNaiveSoftmax() {
    SidRecommender model = new SidRecommender(CODES, 3, CONFIG, 7);

    double loss = model.accumulateGradient(HISTORY, 0, 4, 3, new double[model.parameterCount()]);

    double[] logits = model.logits(HISTORY, 0, 4);
    double z = 0;
    for (double s : logits) {
      z += Math.exp(s);
    }
    assertThat(loss).isCloseTo(Math.log(z) - logits[3], within(1e-12));
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    SidRecommender model = new SidRecommender(CODES, 3, CONFIG, 11);
    double[] params = model.parameters();
    double[] grad = new double[params.length];
    model.accumulateGradient(HISTORY, 0, 4, 2, grad);

    double eps = 1e-6;
    double[] scratch = new double[params.length];
    for (int i = 0; i < params.length; i++) {
      double saved = params[i];
      params[i] = saved + eps;
      double up = model.accumulateGradient(HISTORY, 0, 4, 2, scratch);
      params[i] = saved - eps;
      double down = model.accumulateGradient(HISTORY, 0, 4, 2, scratch);
      params[i] = saved;
      assertThat(grad[i]).as("param %d", i).isCloseTo((up - down) / (2 * eps), within(1e-6));
    }
  }

  @Test
  void onlyTheLastHistoryItemsCount() {
    SidRecommender model = new SidRecommender(CODES, 3, CONFIG, 3);

    assertThat(model.logits(new int[] {4, 0, 2, 1}, 0, 4))
        .containsExactly(model.logits(new int[] {0, 2, 1}, 0, 3));
  }

  @Test
  void itemsSharingASidTieAndShareTheCredit() {
    SidRecommender model = new SidRecommender(CODES, 3, CONFIG, 5);

    double[] logits = model.logits(HISTORY, 0, 4);
    assertThat(logits[2]).isEqualTo(logits[3]);

    RankingSummary s = model.evaluate(new int[][] {HISTORY}, new int[] {3});
    long greater = java.util.Arrays.stream(logits).filter(v -> v > logits[3]).count();
    assertThat(s.ndcg10()).isCloseTo(RankingMetrics.ndcg(greater, 1, 10), within(1e-12));
    assertThat(s.ndcg10()).isLessThan(1.0);
  }

  @Test
  void learnsADeterministicSuccessor() {
    int n = 12;
    int[][] codes = new int[n][];
    for (int i = 0; i < n; i++) {
      codes[i] = new int[] {i % 4, i / 4};
    }
    LeaveOneOutSplit split = successors(n);
    RecommenderConfig config = new RecommenderConfig(8, 1, 4, 60, 0.05, 0.1);

    RecommenderRun run = new RecommenderTrainer(split, config).train(codes, 4, 1, false);

    assertThat(run.validation().recall5()).isEqualTo(1.0);
    assertThat(run.test().ndcg5()).isGreaterThan(0.9);
    assertThat(run.parameterCount()).isEqualTo(2 * 2 * 4 * 8 + 2 * 4 + 1);
  }

  /**
   * A consumer that keeps its recommender when the tokenizer relabels the catalogue: scored through
   * the new codes it loses what it learned, and a warm epoch on them wins it back.
   */
  @Test
  void aRecommenderMovedOntoNewCodesKeepsItsParametersAndAWarmEpochAdapts() {
    int n = 12;
    int[][] codes = new int[n][];
    int[][] relabelled = new int[n][];
    for (int i = 0; i < n; i++) {
      codes[i] = new int[] {i % 4, i / 4};
      relabelled[i] = new int[] {(i * 7 + 3) % 4, (i * 5 + 1) % 3};
    }
    LeaveOneOutSplit split = successors(n);
    RecommenderTrainer trainer =
        new RecommenderTrainer(split, new RecommenderConfig(8, 1, 4, 60, 0.05, 0.1));

    SidRecommender fitted = trainer.fit(codes, 4, 1);
    RecommenderRun same = trainer.continueOn(fitted, codes, 0, 1);
    RecommenderRun kept = trainer.continueOn(fitted, relabelled, 0, 1);
    RecommenderRun warm = trainer.continueOn(fitted, relabelled, 20, 1);

    assertThat(same.test().ndcg5()).isEqualTo(trainer.train(codes, 4, 1, false).test().ndcg5());
    assertThat(kept.test().ndcg5()).isLessThan(same.test().ndcg5());
    assertThat(warm.test().ndcg5()).isGreaterThan(kept.test().ndcg5());
  }

  /** {@code n} users, each the items u, u+1, ... (mod n): every next item is the successor. */
  private static LeaveOneOutSplit successors(int n) {
    int[][] sequences = new int[n][];
    for (int u = 0; u < n; u++) {
      sequences[u] = new int[8];
      for (int t = 0; t < 8; t++) {
        sequences[u][t] = (u + t) % n;
      }
    }
    return LeaveOneOutSplit.of(sequences);
  }
}
