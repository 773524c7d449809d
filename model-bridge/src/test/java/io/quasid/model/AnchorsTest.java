package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The anchoring terms: their gradients, and what they do to a fine-tuned version's codes. */
class AnchorsTest {

  private static final int DIM = 16;

  private static QuasidConfig.Builder small() {
    return QuasidConfig.builder(DIM)
        .encoderHidden(32)
        .latentDim(8)
        .levels(2)
        .codebookSize(8)
        .learningRate(1e-2f)
        .kmeansIterations(5)
        .deadCodeSteps(0);
  }

  private static TrainBatch batch(long seed, float spread) {
    float[][] x = SyntheticData.clustered(32, 8, DIM, spread, seed);
    return TrainBatch.ofItems(x, SyntheticData.ids(32));
  }

  private static QuasidModel trained(TrainBatch batch) {
    QuasidModel model = QuasidModel.create(small().build());
    model.initCodebooks(batch.vectors());
    for (int i = 0; i < 20; i++) {
      model.trainStep(batch);
    }
    return model;
  }

  /** Anchors at the model's own latents shifted by {@code offset}, rows 0..n/2 weighted 1. */
  private static Anchors shifted(QuasidModel model, TrainBatch batch, float offset, float weight) {
    float[][] latents = model.latent(batch.vectors());
    float[] weights = new float[latents.length];
    for (int i = 0; i < latents.length; i++) {
      for (int d = 0; d < latents[i].length; d++) {
        latents[i][d] += offset;
      }
      weights[i] = i < latents.length / 2 ? 1f : 0f;
    }
    float[][][] codebooks = model.codebooks();
    float[][] held = new float[codebooks.length][codebooks[0].length];
    for (int l = 0; l < codebooks.length; l++) {
      for (int k = 0; k < codebooks[l].length; k++) {
        held[l][k] = k % 2;
        for (int d = 0; d < codebooks[l][k].length; d++) {
          codebooks[l][k][d] += offset;
        }
      }
    }
    return new Anchors(latents, weights, weight, codebooks, held, weight);
  }

  @Test
  void theLatentTermPullsAnchoredRowsTowardTheirAnchorAndLeavesFreeRowsAlone() {
    TrainBatch batch = batch(1, 0.3f);
    try (QuasidModel model = trained(batch)) {
      Anchors anchors = shifted(model, batch, 0.5f, 1f);
      float[] g =
          model.gradientsOf("anchorLatent", List.of("latent"), batch, anchors).get("latent");

      // d/dz_i of sum_i w_i ||z_i - a_i||^2 / W = 2 w_i (z_i - a_i) / W, with z - a = -0.5.
      int latentDim = 8;
      float weightSum = 16;
      for (int i = 0; i < 32; i++) {
        float expected = i < 16 ? 2 * (-0.5f) / weightSum : 0f;
        for (int d = 0; d < latentDim; d++) {
          assertThat(g[i * latentDim + d]).as("row %d", i).isCloseTo(expected, within(1e-5f));
        }
      }
      Map<String, float[]> codebooks =
          model.gradientsOf("anchorLatent", List.of("codebook_0", "codebook_1"), batch, anchors);
      assertThat(codebooks.values()).allSatisfy(c -> assertThat(maxAbs(c)).isZero());
    }
  }

  @Test
  void theCodebookTermMovesOnlyHeldCodesTowardTheLiveCodebook() {
    TrainBatch batch = batch(2, 0.3f);
    try (QuasidModel model = trained(batch)) {
      Anchors anchors = shifted(model, batch, 0.25f, 1f);
      Map<String, float[]> g =
          model.gradientsOf(
              "anchorCodebook",
              List.of("codebook_0", "codebook_1", "encoder_w0", "latent"),
              batch,
              anchors);

      // Held codes: the odd ones of both levels, 8 of 16; d/dC = 2 h (C - A) / H, C - A = -0.25.
      for (String name : List.of("codebook_0", "codebook_1")) {
        float[] c = g.get(name);
        for (int k = 0; k < 8; k++) {
          float expected = k % 2 == 1 ? 2 * (-0.25f) / 8 : 0f;
          for (int d = 0; d < 8; d++) {
            assertThat(c[k * 8 + d]).as("%s code %d", name, k).isCloseTo(expected, within(1e-6f));
          }
        }
      }
      assertThat(maxAbs(g.get("encoder_w0"))).isZero();
      assertThat(maxAbs(g.get("latent"))).isZero();
    }
  }

  @Test
  void unanchoredAndZeroWeightedStepsAreTheSame() {
    TrainBatch batch = batch(3, 0.3f);
    try (QuasidModel a = trained(batch);
        QuasidModel b = QuasidModel.restore(a.snapshot().bytes())) {
      TrainResult plain = a.trainStep(batch);
      TrainResult zero = b.trainStep(batch, shifted(b, batch, 0.5f, 0f));

      assertThat(zero.total()).isEqualTo(plain.total());
      assertThat(zero.anchorLatent()).isPositive();
      assertThat(a.latent(batch.vectors())).isDeepEqualTo(b.latent(batch.vectors()));
    }
  }

  /** Fine-tuning on drifted data: anchored rows keep their codes far more than free ones. */
  @Test
  void anAnchoredFineTuneMovesFewerOfTheLiveVersionsCodes() {
    TrainBatch start = batch(4, 0.3f);
    TrainBatch drifted = batch(5, 0.6f);
    try (QuasidModel live = trained(start);
        QuasidModel free = QuasidModel.restore(live.snapshot().bytes());
        QuasidModel anchored = QuasidModel.restore(live.snapshot().bytes())) {
      float[][] x = drifted.vectors();
      float[] everyRow = new float[x.length];
      Arrays.fill(everyRow, 1f);
      float[][] held = new float[2][8];
      for (float[] level : held) {
        Arrays.fill(level, 1f);
      }
      Anchors anchors = new Anchors(live.latent(x), everyRow, 10f, live.codebooks(), held, 10f);
      for (int i = 0; i < 60; i++) {
        free.trainStep(drifted);
        anchored.trainStep(drifted, anchors);
      }
      int[][] before = live.encode(x).codes();
      int moved = moved(before, free.encode(x).codes());
      int movedAnchored = moved(before, anchored.encode(x).codes());

      assertThat(moved).as("free fine-tuning moves codes").isPositive();
      assertThat(movedAnchored).isLessThan(moved);
    }
  }

  private static int moved(int[][] before, int[][] after) {
    int n = 0;
    for (int i = 0; i < before.length; i++) {
      n += Arrays.equals(before[i], after[i]) ? 0 : 1;
    }
    return n;
  }

  private static double maxAbs(float[] v) {
    double m = 0;
    for (float f : v) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }
}
