package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class QuasidModelTest {

  private static final int DIM = 16;
  private static final float[][] DATA = SyntheticData.clustered(64, 8, DIM, 0.3f, 5);
  private static final TrainBatch BATCH =
      new TrainBatch(
          DATA, SyntheticData.ids(DATA.length), null, SyntheticData.sameClusterPairs(64, 8));

  private static QuasidConfig.Builder small() {
    return QuasidConfig.builder(DIM)
        .encoderHidden(32)
        .latentDim(8)
        .levels(2)
        .codebookSize(8)
        .learningRate(1e-2f)
        .kmeansIterations(5)
        .deadCodeSteps(5);
  }

  private static List<TrainResult> train(QuasidModel model, TrainBatch batch, int steps) {
    List<TrainResult> results = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      results.add(model.trainStep(batch));
    }
    return results;
  }

  @Test
  void freshModelEncodesWithSeededCodebooksButReportsThemUninitialised() {
    try (QuasidModel a = QuasidModel.create(small().build());
        QuasidModel b = QuasidModel.create(small().build())) {
      Encoding ea = a.encode(DATA);
      assertThat(a.codebooksInitialized()).isFalse();
      assertThat(a.step()).isZero();
      assertThat(a.modelVersion()).isZero();
      assertThat(ea.codes()).hasNumberOfRows(DATA.length);
      assertThat(ea.codes()[0]).hasSize(2);
      assertThat(ea.codes()).isDeepEqualTo(b.encode(DATA).codes());
      assertThat(ea.residualNorms()).containsExactly(b.encode(DATA).residualNorms());
    }
  }

  @Test
  void residualNormsOfGivenCodesMatchEncodeForItsOwnCodesAndGrowForOthers() {
    try (QuasidModel model = QuasidModel.create(small().build())) {
      model.initCodebooks(DATA);
      Encoding own = model.encode(DATA);
      assertThat(model.residualNorms(DATA, own.codes()))
          .containsExactly(own.residualNorms(), within(1e-4f));

      int[][] shifted = new int[DATA.length][];
      for (int i = 0; i < DATA.length; i++) {
        shifted[i] = own.codes()[i].clone();
        shifted[i][0] = (shifted[i][0] + 1) % 8;
      }
      float[] other = model.residualNorms(DATA, shifted);
      // Greedy residual quantization is no global argmin, so one row may fit a moved tuple
      // better; over the batch, tuples moved off the nearest level-0 centroid fit worse.
      assertThat(sum(other)).isGreaterThan(sum(own.residualNorms()));
      assertThatThrownBy(() -> model.residualNorms(DATA, new int[1][]))
          .hasMessageContaining("vectors but 1 code tuples");
    }
  }

  @Test
  void reencodingGivesEncodesCodesAndTheHeldCodesFitInOnePass() {
    try (QuasidModel model = QuasidModel.create(small().build())) {
      model.initCodebooks(DATA);
      Encoding own = model.encode(DATA);
      int[][] held = new int[DATA.length][];
      for (int i = 1; i < DATA.length; i++) {
        held[i] = own.codes()[i].clone();
        held[i][0] = (held[i][0] + 1) % 8;
      }
      float[] expected = model.residualNorms(DATA, held.clone());

      Reencoding r = model.reencode(DATA, held);

      assertThat(r.encoding().codes()).isDeepEqualTo(own.codes());
      assertThat(r.encoding().residualNorms()).containsExactly(own.residualNorms());
      assertThat(r.heldResidualNorms()[0]).as("an item holding no codes").isNaN();
      for (int i = 1; i < DATA.length; i++) {
        assertThat(r.heldResidualNorms()[i]).isCloseTo(expected[i], within(1e-5f));
      }
      assertThatThrownBy(() -> model.reencode(DATA, new int[1][]))
          .hasMessageContaining("vectors but 1 held code tuples");
    }
  }

  private static double sum(float[] values) {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }

  @Test
  void sameSeedSameInputGivesSameTrainingAndCodes() {
    try (QuasidModel a = QuasidModel.create(small().build());
        QuasidModel b = QuasidModel.create(small().build());
        QuasidModel other = QuasidModel.create(small().seed(7).build())) {
      assertThat(train(a, BATCH, 30)).isEqualTo(train(b, BATCH, 30));
      assertThat(a.encode(DATA).codes()).isDeepEqualTo(b.encode(DATA).codes());
      train(other, BATCH, 30);
      assertThat(other.encode(DATA).residualNorms()).isNotEqualTo(a.encode(DATA).residualNorms());
    }
  }

  @Test
  void trainingLowersReconstructionLoss() {
    try (QuasidModel model = QuasidModel.create(small().build())) {
      List<TrainResult> r = train(model, BATCH, 200);
      assertThat(r).allMatch(TrainResult::isFinite);
      double first =
          r.subList(0, 5).stream().mapToDouble(TrainResult::reconstruction).average().orElseThrow();
      double last =
          r.subList(195, 200).stream()
              .mapToDouble(TrainResult::reconstruction)
              .average()
              .orElseThrow();
      assertThat(last).isLessThan(0.5 * first);
    }
  }

  @Test
  void codebooksMoveAtTheirOwnLearningRate() {
    QuasidConfig config =
        small().learningRate(1e-3f).codebookLearningRate(5e-2f).deadCodeSteps(0).build();
    try (QuasidModel model = QuasidModel.create(config)) {
      // k-means on part of the batch: on all of it the level-0 codes already sit at the means of
      // their rows, their gradient is ~0 and Adam's epsilon would shorten the step
      model.initCodebooks(Arrays.copyOf(DATA, 24));
      Map<String, float[]> before = variables(model);
      model.trainStep(BATCH);
      Map<String, float[]> after = variables(model);
      // Adam's first step moves every weight with a non-zero gradient by almost exactly its rate.
      assertThat(largestChange(before, after, "codebook_0")).isCloseTo(5e-2, within(1e-4));
      assertThat(largestChange(before, after, "encoder_w0")).isCloseTo(1e-3, within(1e-5));
      assertThat(largestChange(before, after, "decoder_w0")).isCloseTo(1e-3, within(1e-5));
    }
  }

  private static Map<String, float[]> variables(QuasidModel model) {
    return SnapshotCodec.decode(model.snapshot().bytes()).variables();
  }

  private static double largestChange(
      Map<String, float[]> before, Map<String, float[]> after, String variable) {
    float[] a = before.get(variable);
    float[] b = after.get(variable);
    double largest = 0;
    for (int i = 0; i < a.length; i++) {
      largest = Math.max(largest, Math.abs(b[i] - a[i]));
    }
    return largest;
  }

  @Test
  void trainStepInitialisesCodebooksFromTheFirstBatch() {
    try (QuasidModel model = QuasidModel.create(small().build())) {
      model.trainStep(BATCH);
      assertThat(model.codebooksInitialized()).isTrue();
      assertThat(model.step()).isEqualTo(1);
    }
  }

  /**
   * 16 items in 8 twin pairs (near-identical vectors, distinct item ids, so qualified conflicts
   * that share their codes) plus 16 rows of other items in 8 collaborative pairs.
   */
  private static TrainBatch collidingBatch() {
    float[][] base = SyntheticData.clustered(8, 8, DIM, 0f, 21);
    float[][] noise = SyntheticData.clustered(16, 1, DIM, 1f, 22);
    float[][] x = new float[32][];
    for (int i = 0; i < 16; i++) {
      x[i] = base[i / 2].clone();
      for (int d = 0; d < DIM; d++) {
        x[i][d] += 1e-3f * noise[i][d];
      }
    }
    float[][] others = SyntheticData.clustered(16, 8, DIM, 0.3f, 23);
    System.arraycopy(others, 0, x, 16, 16);
    int[][] pairs = new int[8][];
    for (int b = 0; b < 8; b++) {
      pairs[b] = new int[] {16 + b, 24 + b};
    }
    return new TrainBatch(x, SyntheticData.ids(32), null, pairs);
  }

  @Test
  void everyAblationTrainsAndReportsOnlyItsTerms() {
    // Same seed, same variables: every variant starts from the same weights and codes, so the
    // full model's first-step terms are what a variant would add if it wrongly included a term.
    TrainBatch batch = collidingBatch();
    QuasidConfig full = small().build();
    TrainResult reference;
    try (QuasidModel model = QuasidModel.create(full)) {
      reference = model.trainStep(batch);
    }
    assertThat(reference.fullCollisionPairs()).as("the batch collides").isPositive();
    assertThat(reference.contrastive()).isPositive();
    assertThat(reference.repulsionFull()).as("enabled repulsion acts").isPositive();
    float offset = 1e-4f;
    assertThat(full.lambdaContrastive() * reference.contrastive()).isGreaterThan(100 * offset);
    assertThat(full.lambdaFull() * reference.repulsionFull()).isGreaterThan(100 * offset);

    QuasidConfig[] variants = {
      full.plainRqVae(),
      full.toBuilder().repulsion(false).build(),
      full.toBuilder().contrastive(false).masking(false).build(),
      full
    };
    for (QuasidConfig c : variants) {
      try (QuasidModel model = QuasidModel.create(c)) {
        List<TrainResult> r = train(model, batch, 10);
        TrainResult first = r.get(0);
        assertThat(r).allMatch(TrainResult::isFinite).allMatch(TrainResult::applied);
        assertThat(first.reconstruction()).isEqualTo(reference.reconstruction());
        assertThat(first.quantization()).isEqualTo(reference.quantization());
        float expected = first.reconstruction() + first.quantization();
        if (c.contrastive()) {
          assertThat(first.contrastive()).isEqualTo(reference.contrastive());
          expected += c.lambdaContrastive() * first.contrastive();
        } else {
          assertThat(first.contrastive()).isZero();
        }
        if (c.repulsion()) {
          assertThat(first.repulsionFull()).isPositive();
          if (c.masking()) {
            assertThat(first.repulsionFull()).isEqualTo(reference.repulsionFull());
          }
          expected +=
              c.lambdaFull() * first.repulsionFull() + c.lambdaPartial() * first.repulsionPartial();
        } else {
          assertThat(first.repulsionFull()).isZero();
          assertThat(first.repulsionPartial()).isZero();
        }
        // only the enabled terms make up the total (a disabled one would add > 100 * offset)
        assertThat(first.total()).as(c.toString()).isCloseTo(expected, within(offset));
      }
    }
  }

  @Test
  void collisionTierCountsCountSameGroupPairsByDefault() {
    // Two rows of one group that share their codes are a conflict unless the group mask is on.
    TrainBatch twins = collidingBatch();
    int[] groups = new int[32];
    for (int i = 0; i < 32; i++) {
      groups[i] = i < 16 ? i / 2 : -1;
    }
    TrainBatch grouped =
        new TrainBatch(twins.vectors(), twins.itemIds(), groups, twins.positivePairs());
    try (QuasidModel model = QuasidModel.create(small().build());
        QuasidModel groupMasked = QuasidModel.create(small().maskSameGroup(true).build())) {
      model.initCodebooks(twins.vectors());
      groupMasked.initCodebooks(twins.vectors());
      int[][] codes = model.encode(twins.vectors()).codes();
      long twinCollisions = 0;
      for (int t = 0; t < 8; t++) {
        if (Arrays.equals(codes[2 * t], codes[2 * t + 1])) {
          twinCollisions++;
        }
      }
      assertThat(twinCollisions).isPositive();
      CollisionTiers expected =
          PairMasks.tiers(PairMasks.validPairs(grouped, model.config()), codes, 1);
      TrainResult r = model.trainStep(grouped);
      assertThat(r.fullCollisionPairs()).isEqualTo(expected.fullPairs());
      assertThat(r.partialCollisionPairs()).isEqualTo(expected.partialPairs());
      assertThat(r.fullCollisionPairs()).isGreaterThanOrEqualTo(twinCollisions);
      TrainResult masked = groupMasked.trainStep(grouped);
      assertThat(r.fullCollisionPairs() - masked.fullCollisionPairs()).isEqualTo(twinCollisions);
    }
  }

  private static final List<String> CODEBOOKS = List.of("codebook_0", "codebook_1");

  private static float[] gradient(QuasidModel m, String term, String target, TrainBatch batch) {
    return m.gradientsOf(term, List.of(target), batch).get(target);
  }

  private static double maxAbs(float[] v) {
    double m = 0;
    for (float f : v) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }

  private static QuasidModel initialised(QuasidConfig config, TrainBatch batch) {
    QuasidModel model = QuasidModel.create(config);
    model.initCodebooks(batch.vectors());
    train(model, batch, 3);
    return model;
  }

  @Test
  void reconstructionGradientPassesStraightThroughTheQuantizerToTheEncoder() {
    TrainBatch batch = collidingBatch();
    try (QuasidModel model = initialised(small().build(), batch)) {
      Map<String, float[]> g =
          model.gradientsOf(
              "reconstruction",
              List.of("latent", "straight_through", "encoder_w0", "codebook_0", "codebook_1"),
              batch);
      // d L_rec / d z equals d L_rec / d z_q' exactly: the quantizer is the identity backwards
      assertThat(maxAbs(g.get("latent"))).isGreaterThan(1e-4);
      assertThat(g.get("latent")).containsExactly(g.get("straight_through"));
      assertThat(maxAbs(g.get("encoder_w0"))).isGreaterThan(1e-6);
      assertThat(maxAbs(g.get("codebook_0"))).isZero();
      assertThat(maxAbs(g.get("codebook_1"))).isZero();
    }
  }

  @Test
  void codebookTermsMoveOnlyTheirOwnCodebookAndCommitmentOnlyTheEncoder() {
    TrainBatch batch = collidingBatch();
    try (QuasidModel model = initialised(small().build(), batch)) {
      for (int l = 0; l < 2; l++) {
        Map<String, float[]> codebook =
            model.gradientsOf(
                "codebook_" + l,
                List.of("latent", "encoder_w0", "codebook_0", "codebook_1"),
                batch);
        assertThat(maxAbs(codebook.get("codebook_" + l))).as("level " + l).isGreaterThan(1e-6);
        assertThat(maxAbs(codebook.get("codebook_" + (1 - l)))).as("level " + l).isZero();
        assertThat(maxAbs(codebook.get("latent"))).as("level " + l).isZero();
        assertThat(maxAbs(codebook.get("encoder_w0"))).as("level " + l).isZero();

        Map<String, float[]> commitment =
            model.gradientsOf(
                "commitment_" + l,
                List.of("latent", "encoder_w0", "codebook_0", "codebook_1"),
                batch);
        assertThat(maxAbs(commitment.get("latent"))).as("level " + l).isGreaterThan(1e-6);
        assertThat(maxAbs(commitment.get("encoder_w0"))).as("level " + l).isGreaterThan(1e-8);
        // r_{l+1} = r_l - sg(q_l): a deeper level's commitment does not reach earlier codebooks
        assertThat(maxAbs(commitment.get("codebook_0"))).as("level " + l).isZero();
        assertThat(maxAbs(commitment.get("codebook_1"))).as("level " + l).isZero();
      }
    }
  }

  @Test
  void detachedDeepResidualsLeaveOnlyTheFirstLevelsCommitmentOnTheEncoder() {
    TrainBatch batch = collidingBatch();
    try (QuasidModel model = initialised(small().detachDeepResiduals(true).build(), batch)) {
      List<String> targets = List.of("latent", "encoder_w0", "codebook_0", "codebook_1");
      Map<String, float[]> first = model.gradientsOf("commitment_0", targets, batch);
      assertThat(maxAbs(first.get("latent"))).isGreaterThan(1e-6);
      assertThat(maxAbs(first.get("encoder_w0"))).isGreaterThan(1e-8);

      Map<String, float[]> deep = model.gradientsOf("commitment_1", targets, batch);
      assertThat(maxAbs(deep.get("latent"))).isZero();
      assertThat(maxAbs(deep.get("encoder_w0"))).isZero();
      assertThat(maxAbs(deep.get("codebook_0"))).isZero();
      assertThat(maxAbs(deep.get("codebook_1"))).isZero();

      // the deeper codebook still learns from its own term, towards the detached residual
      Map<String, float[]> codebook = model.gradientsOf("codebook_1", targets, batch);
      assertThat(maxAbs(codebook.get("codebook_1"))).isGreaterThan(1e-6);
      assertThat(maxAbs(codebook.get("latent"))).isZero();
    }
  }

  @Test
  void elementMeanDividesReconstructionByInputDimsAndQuantizationByLatentDimsAndLevels() {
    TrainBatch batch = collidingBatch();
    QuasidConfig rowSum = small().contrastive(false).repulsion(false).build();
    QuasidConfig elementMean =
        rowSum.toBuilder().lossScale(QuasidConfig.LossScale.ELEMENT_MEAN).build();
    try (QuasidModel a = QuasidModel.create(rowSum);
        QuasidModel b = QuasidModel.create(elementMean)) {
      a.initCodebooks(batch.vectors());
      b.initCodebooks(batch.vectors());
      // same seed, same weights: the first step's losses differ by the reduction alone
      TrainResult ra = a.trainStep(batch);
      TrainResult rb = b.trainStep(batch);
      assertThat((double) rb.reconstruction())
          .isCloseTo(ra.reconstruction() / DIM, within(1e-5 * ra.reconstruction()));
      double levelsTimesLatent = rowSum.levels() * rowSum.latentDim();
      assertThat((double) rb.quantization())
          .isCloseTo(ra.quantization() / levelsTimesLatent, within(1e-5 * ra.quantization()));
      assertThat(rb.total()).isCloseTo(rb.reconstruction() + rb.quantization(), within(1e-6f));
    }
  }

  @Test
  void batchNegativesReachRowsOfNoPairWherePairNegativesDoNot() {
    TrainBatch batch = collidingBatch(); // rows 0-15 are in no pair
    int latentDim = small().build().latentDim();
    for (QuasidConfig.ContrastiveNegatives negatives : QuasidConfig.ContrastiveNegatives.values()) {
      QuasidConfig config = small().repulsion(false).contrastiveNegatives(negatives).build();
      try (QuasidModel model = initialised(config, batch)) {
        float[] g = gradient(model, "contrastive", "latent", batch);
        float[] unpaired = java.util.Arrays.copyOfRange(g, 0, 16 * latentDim);
        float[] paired = java.util.Arrays.copyOfRange(g, 16 * latentDim, g.length);
        assertThat(maxAbs(paired)).as(negatives.name()).isGreaterThan(1e-6);
        if (negatives == QuasidConfig.ContrastiveNegatives.BATCH) {
          assertThat(maxAbs(unpaired)).isGreaterThan(1e-6);
        } else {
          assertThat(maxAbs(unpaired)).isZero();
        }
        assertThat(model.trainStep(batch).isFinite()).isTrue();
      }
    }
  }

  @Test
  void batchNegativesTrainABatchWithoutPairs() {
    TrainBatch noPairs = new TrainBatch(DATA, SyntheticData.ids(DATA.length), null, new int[0][]);
    QuasidConfig config =
        small().contrastiveNegatives(QuasidConfig.ContrastiveNegatives.BATCH).build();
    try (QuasidModel model = QuasidModel.create(config)) {
      model.initCodebooks(DATA);
      TrainResult r = model.trainStep(noPairs);
      assertThat(r.isFinite()).isTrue();
      assertThat(r.contrastive()).isZero();
    }
  }

  @Test
  void eachCodebookIsTrainedByItsOwnCodebookTermAlone() {
    TrainBatch batch = collidingBatch();
    try (QuasidModel model = initialised(small().build(), batch)) {
      for (int l = 0; l < 2; l++) {
        String codebook = "codebook_" + l;
        float[] total = gradient(model, "total", codebook, batch);
        float[] own = gradient(model, "codebook_" + l, codebook, batch);
        assertThat(maxAbs(own)).isGreaterThan(1e-6);
        for (int i = 0; i < total.length; i++) {
          assertThat(total[i]).isCloseTo(own[i], within(1e-6f));
        }
      }
    }
  }

  @Test
  void repulsionAndContrastiveReachTheEncoderButNotTheCodebooks() {
    TrainBatch batch = collidingBatch();
    try (QuasidModel model = initialised(small().build(), batch)) {
      for (String term : List.of("repulsionFull", "contrastive")) {
        List<String> targets = new ArrayList<>(List.of("latent", "encoder_w0"));
        targets.addAll(CODEBOOKS);
        Map<String, float[]> g = model.gradientsOf(term, targets, batch);
        assertThat(maxAbs(g.get("latent"))).as(term).isGreaterThan(1e-6);
        assertThat(maxAbs(g.get("encoder_w0"))).as(term).isGreaterThan(1e-8);
        for (String c : CODEBOOKS) {
          assertThat(maxAbs(g.get(c))).as(term + " on " + c).isZero();
        }
      }
    }
  }

  @Test
  void nonFiniteStepIsSkippedAndCounted(@TempDir Path tmp) {
    float[][] poisoned = new float[DATA.length][];
    for (int i = 0; i < DATA.length; i++) {
      poisoned[i] = DATA[i].clone();
    }
    poisoned[3][0] = Float.NaN;
    TrainBatch bad =
        new TrainBatch(poisoned, SyntheticData.ids(DATA.length), null, BATCH.positivePairs());
    try (QuasidModel model = QuasidModel.create(small().build());
        QuasidModel reference = QuasidModel.create(small().build())) {
      model.initCodebooks(DATA);
      reference.initCodebooks(DATA);
      train(model, BATCH, 2);
      train(reference, BATCH, 2);
      Map<String, float[]> before = variables(model);

      TrainResult skipped = model.trainStep(bad);
      assertThat(skipped.applied()).isFalse();
      assertThat(skipped.isFinite()).isFalse();
      assertThat(skipped.step()).isEqualTo(2);
      assertThat(skipped.skippedSteps()).isEqualTo(1);
      assertThat(model.skippedSteps()).isEqualTo(1);
      assertThat(model.step()).isEqualTo(2);
      Map<String, float[]> after = variables(model);
      assertThat(after.keySet()).isEqualTo(before.keySet());
      // weights, codebooks, Adam moments and beta powers: all untouched
      before.forEach((name, v) -> assertThat(after.get(name)).as(name).containsExactly(v));

      // the skipped step left no trace: training continues exactly like a model that never saw it
      TrainResult next = model.trainStep(BATCH);
      assertThat(next.applied()).isTrue();
      assertThat(next.step()).isEqualTo(3);
      TrainResult expected = reference.trainStep(BATCH);
      assertThat(next.total()).isEqualTo(expected.total());
      assertThat(model.encode(DATA).codes()).isDeepEqualTo(reference.encode(DATA).codes());

      try (QuasidModel restored = QuasidModel.restore(model.snapshot().bytes())) {
        assertThat(restored.skippedSteps()).isEqualTo(1);
      }
    }
  }

  @Test
  void perHammingScheduleGivesEachDistanceItsOwnMarginWeightAndMean() {
    QuasidConfig twoTier =
        small().levels(3).partialRadius(2).contrastive(false).deadCodeSteps(0).build();
    float[] margins = {0.9f, 0.3f};
    float[] weights = {1f, 0.25f};
    QuasidConfig scheduled = twoTier.toBuilder().partialSchedule(margins, weights).build();
    float[][] x = SyntheticData.clustered(48, 6, DIM, 0.4f, 13);
    TrainBatch batch = TrainBatch.ofItems(x, SyntheticData.ids(48));
    try (QuasidModel plain = QuasidModel.create(twoTier);
        QuasidModel perH = QuasidModel.create(scheduled)) {
      plain.initCodebooks(x);
      perH.initCodebooks(x);
      int[][] codes = perH.encode(x).codes();
      assertThat(plain.encode(x).codes()).isDeepEqualTo(codes);
      float[][] z = perH.latent(x);
      int[][] h = PairMasks.hamming(codes);
      double[] sum = new double[3];
      long[] count = new long[3];
      double pooled = 0;
      for (int i = 0; i < x.length; i++) {
        for (int j = i + 1; j < x.length; j++) {
          if (h[i][j] == 1 || h[i][j] == 2) {
            double d = 1 - cosine(z[i], z[j]);
            sum[h[i][j]] += Math.max(0, margins[h[i][j] - 1] - d);
            count[h[i][j]]++;
            pooled += Math.max(0, twoTier.marginPartial() - d);
          }
        }
      }
      assertThat(count[1]).as("pairs at H = 1").isPositive();
      assertThat(count[2]).as("pairs at H = 2").isPositive();
      double expectedScheduled = weights[0] * sum[1] / count[1] + weights[1] * sum[2] / count[2];
      double expectedTwoTier = pooled / (count[1] + count[2]);

      TrainResult a = plain.trainStep(batch);
      TrainResult b = perH.trainStep(batch);
      assertThat((double) a.repulsionPartial()).isCloseTo(expectedTwoTier, within(1e-5));
      assertThat((double) b.repulsionPartial()).isCloseTo(expectedScheduled, within(1e-5));
      assertThat(Math.abs(expectedScheduled - expectedTwoTier)).isGreaterThan(1e-3);
      assertThat(b.partialCollisionPairs()).isEqualTo(count[1] + count[2]);
      assertThat(b.repulsionFull()).isEqualTo(a.repulsionFull());
      assertThat(b.total())
          .isCloseTo(
              b.reconstruction()
                  + b.quantization()
                  + scheduled.lambdaFull() * b.repulsionFull()
                  + scheduled.lambdaPartial() * b.repulsionPartial(),
              within(1e-4f));
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void fullQuasidEndsWithFewerFullCollisionsThanWithoutRepulsion() {
    // 32 items in 16 tight pairs of near-identical items, 64 possible SIDs: plain RQ-VAE keeps
    // many twins on one SID; repulsion pushes their encoder outputs apart. Over seeds 1-6 this
    // setup gave 74 vs 25 colliding pairs in total, every seed in the same direction.
    float[][] twins = SyntheticData.clustered(32, 16, DIM, 0.3f, 1);
    TrainBatch batch = TrainBatch.ofItems(twins, SyntheticData.ids(32));
    QuasidConfig base =
        small()
            .contrastive(false)
            .seed(1)
            .lambdaFull(1f)
            .lambdaPartial(0.5f)
            .deadCodeSteps(20)
            .kmeansIterations(10)
            .build();
    long withRepulsion;
    long withoutRepulsion;
    try (QuasidModel model = QuasidModel.create(base)) {
      train(model, batch, 300);
      withRepulsion = collidingPairs(model.encode(twins).codes());
    }
    try (QuasidModel model = QuasidModel.create(base.toBuilder().repulsion(false).build())) {
      train(model, batch, 300);
      withoutRepulsion = collidingPairs(model.encode(twins).codes());
    }
    assertThat(withoutRepulsion).isPositive();
    assertThat(withRepulsion).isLessThan(withoutRepulsion);
  }

  @Test
  void snapshotRestoreBringsBackCodesCountersAndConfig() {
    try (QuasidModel model = QuasidModel.create(small().build())) {
      train(model, BATCH, 20);
      model.bumpVersion();
      ModelSnapshot snapshot = model.snapshot();
      assertThat(snapshot.step()).isEqualTo(20);
      assertThat(snapshot.modelVersion()).isEqualTo(1);
      try (QuasidModel restored = QuasidModel.restore(snapshot.bytes())) {
        assertThat(restored.encode(DATA)).usingRecursiveComparison().isEqualTo(model.encode(DATA));
        assertThat(restored.step()).isEqualTo(20);
        assertThat(restored.modelVersion()).isEqualTo(1);
        assertThat(restored.codebooksInitialized()).isTrue();
        assertThat(restored.config()).usingRecursiveComparison().isEqualTo(model.config());
        assertThat(restored.bumpVersion()).isEqualTo(2);
      }
    }
  }

  @Test
  void trainingResumedFromSnapshotMatchesUninterruptedTraining() {
    try (QuasidModel uninterrupted = QuasidModel.create(small().build());
        QuasidModel first = QuasidModel.create(small().build())) {
      List<TrainResult> expected = train(uninterrupted, BATCH, 40).subList(20, 40);
      train(first, BATCH, 20);
      try (QuasidModel resumed = QuasidModel.restore(first.snapshot().bytes())) {
        assertThat(train(resumed, BATCH, 20)).isEqualTo(expected);
        assertThat(resumed.encode(DATA))
            .usingRecursiveComparison()
            .isEqualTo(uninterrupted.encode(DATA));
      }
    }
  }

  @Test
  void savedModelRoundTripGivesIdenticalCodesAndServesThem(@TempDir Path tmp) {
    Path dir = tmp.resolve("quasid");
    try (QuasidModel model = QuasidModel.create(small().build())) {
      train(model, BATCH, 20);
      model.bumpVersion();
      model.exportSavedModel(dir);
      Encoding expected = model.encode(DATA);
      try (QuasidModel imported = QuasidModel.importSavedModel(dir)) {
        assertThat(imported.encode(DATA)).usingRecursiveComparison().isEqualTo(expected);
        assertThat(imported.step()).isEqualTo(20);
        assertThat(imported.modelVersion()).isEqualTo(1);
        // the SavedModel carries the Adam slots too, so training continues identically
        assertThat(train(imported, BATCH, 5)).isEqualTo(train(model, BATCH, 5));
      }
      try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
          TFloat32 in = TensorIo.matrix(DATA, DIM);
          Result out = bundle.function("serving_default").call(Map.of("vectors", in))) {
        int[][] served = TensorIo.rows((TInt32) out.get("codes").orElseThrow());
        assertThat(served).isDeepEqualTo(expected.codes());
      }
    }
  }

  @Test
  void maskingKeepsRowsOfTheSameItemOutOfTheCollisionCount() {
    // every item appears twice: with masking the copies are never a conflict, without it they are
    float[][] doubled = new float[32][];
    long[] ids = new long[32];
    for (int i = 0; i < 32; i++) {
      doubled[i] = DATA[i % 16];
      ids[i] = i % 16;
    }
    TrainBatch batch = TrainBatch.ofItems(doubled, ids);
    try (QuasidModel masked = QuasidModel.create(small().contrastive(false).build());
        QuasidModel unmasked =
            QuasidModel.create(small().contrastive(false).masking(false).build())) {
      TrainResult withMask = masked.trainStep(batch);
      TrainResult withoutMask = unmasked.trainStep(batch);
      assertThat(withoutMask.fullCollisionPairs() - withMask.fullCollisionPairs()).isEqualTo(16);
    }
  }

  @Test
  void deadCodesAreReseededOntoTheDataTheyMissed() {
    float[][] elsewhere = new float[DATA.length][DIM];
    for (int i = 0; i < DATA.length; i++) {
      for (int d = 0; d < DIM; d++) {
        elsewhere[i][d] = DATA[i][d] + (d % 2 == 0 ? 50f : -50f);
      }
    }
    try (QuasidModel model =
        QuasidModel.create(small().deadCodeSteps(2).learningRate(1e-4f).build())) {
      model.initCodebooks(elsewhere);
      long before = distinctFirstCodes(model.encode(DATA).codes());
      train(model, BATCH, 3);
      long after = distinctFirstCodes(model.encode(DATA).codes());
      assertThat(after).isGreaterThan(before);
    }
  }

  @Test
  void rejectsWrongDimensionsAndUseAfterClose() {
    QuasidModel model = QuasidModel.create(small().build());
    assertThatThrownBy(() -> model.encode(new float[][] {new float[3]}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 3");
    model.close();
    model.close();
    assertThatThrownBy(() -> model.encode(DATA)).isInstanceOf(IllegalStateException.class);
  }

  private static long distinctFirstCodes(int[][] codes) {
    return Arrays.stream(codes).mapToInt(c -> c[0]).distinct().count();
  }

  private static long collidingPairs(int[][] codes) {
    long pairs = 0;
    for (int i = 0; i < codes.length; i++) {
      for (int j = i + 1; j < codes.length; j++) {
        if (Arrays.equals(codes[i], codes[j])) {
          pairs++;
        }
      }
    }
    return pairs;
  }
}
