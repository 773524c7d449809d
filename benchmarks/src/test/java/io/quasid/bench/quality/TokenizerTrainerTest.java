package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.model.QuasidConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tiny end-to-end runs through the real model-bridge tokenizer (TensorFlow on CPU). */
class TokenizerTrainerTest {

  private static CatalogueData data;
  private static int[][] pairs;

  @BeforeAll
  static void syntheticCatalogue() {
    Random random = new Random(5);
    int items = 96;
    float[][] v = new float[items][8];
    int[] groups = new int[items];
    for (int i = 0; i < items; i++) {
      for (int d = 0; d < 8; d++) {
        v[i][d] = (float) random.nextGaussian() + (d == i % 8 ? 3 : 0);
      }
      groups[i] = i % 8;
    }
    int[][] sequences = new int[24][];
    for (int u = 0; u < sequences.length; u++) {
      sequences[u] = new int[] {u, u + 24, u + 48, u + 72, (u + 1) % items};
    }
    data = new CatalogueData(v, sequences, groups);
    pairs = TokenizerBatches.collaborativePairs(LeaveOneOutSplit.of(sequences));
  }

  @Test
  void theMinCollisionRuleKeepsTheCodesOfTheBestEvaluatedStep() {
    TokenizerRecipe minCollision =
        new TokenizerRecipe(
            QuasidConfig.LossScale.ELEMENT_MEAN,
            true,
            1e-3f,
            0,
            TokenizerRecipe.Checkpoint.MIN_COLLISION,
            QuasidConfig.ContrastiveNegatives.BATCH,
            TokenizerRecipe.PairSource.ADJACENT);
    TokenizerBudget budget = new TokenizerBudget(12, 16, 1e-2f, 2, 8, 2, 7, minCollision);
    TokenizerTrainer trainer =
        new TokenizerTrainer(
            data,
            pairs,
            budget,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    TokenizerOutcome o = trainer.run(TokenizerVariant.QUASID);

    int[] steps = o.curve().collisionSteps();
    double[] rates = o.curve().collisionRates();
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < steps.length; i++) {
      if (steps[i] > 0) {
        best = Math.min(best, rates[i]);
      }
    }
    assertThat(SidMetrics.of(o.codes(), 8).collisionRate()).isEqualTo(best);
    assertThat(trainer.baseConfig().lossScale()).isEqualTo(QuasidConfig.LossScale.ELEMENT_MEAN);
    assertThat(trainer.baseConfig().detachDeepResiduals()).isTrue();
    assertThat(trainer.baseConfig().deadCodeSteps()).isZero();
  }

  @Test
  void everyVariantYieldsValidCodesAndACurve() {
    TokenizerBudget budget = new TokenizerBudget(6, 16, 1e-3f, 2, 8, 3, 7, TokenizerRecipe.DEFAULT);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TokenizerTrainer trainer =
        new TokenizerTrainer(
            data, pairs, budget, new PrintStream(log, true, StandardCharsets.UTF_8));

    for (TokenizerVariant variant : TokenizerVariant.values()) {
      TokenizerOutcome o = trainer.run(variant);

      assertThat(o.codes()).hasNumberOfRows(96);
      for (int[] sid : o.codes()) {
        assertThat(sid).hasSize(2);
        assertThat(sid[0]).isBetween(0, 7);
        assertThat(sid[1]).isBetween(0, 7);
      }
      assertThat(o.trainSeconds()).isPositive();
      if (variant.trained()) {
        assertThat(o.curve().loss()).hasSize(6);
        assertThat(java.util.Arrays.stream(o.curve().loss()).allMatch(Double::isFinite)).isTrue();
        assertThat(o.curve().collisionSteps()).containsExactly(0, 3, 6);
      } else {
        assertThat(o.curve().loss()).isEmpty();
      }
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("[tokenizer QuaSID (full) seed 7] 6/6");
  }

  @Test
  void residualKMeansAssignsNearestCodeOnResiduals() {
    float[][][] codebooks = {{{0, 0}, {10, 0}}, {{0, 0}, {0, 1}}};

    int[][] codes = TokenizerTrainer.assign(new float[][] {{9, 1}, {1, 0}}, codebooks);

    assertThat(codes[0]).containsExactly(1, 1);
    assertThat(codes[1]).containsExactly(0, 0);
  }
}
