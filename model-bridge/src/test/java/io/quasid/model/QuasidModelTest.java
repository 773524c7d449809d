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
      model.initCodebooks(DATA);
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

  @Test
  void everyAblationTrainsAndReportsOnlyItsTerms() {
    QuasidConfig full = small().build();
    QuasidConfig[] variants = {
      full.plainRqVae(),
      full.toBuilder().repulsion(false).build(),
      full.toBuilder().contrastive(false).masking(false).build(),
      full
    };
    for (QuasidConfig c : variants) {
      try (QuasidModel model = QuasidModel.create(c)) {
        List<TrainResult> r = train(model, BATCH, 10);
        TrainResult last = r.get(r.size() - 1);
        assertThat(r).allMatch(TrainResult::isFinite);
        assertThat(last.contrastive() > 0).isEqualTo(c.contrastive());
        if (!c.repulsion()) {
          assertThat(last.repulsionFull()).isZero();
          assertThat(last.repulsionPartial()).isZero();
        }
        float expected =
            last.reconstruction()
                + last.quantization()
                + c.lambdaContrastive() * last.contrastive()
                + c.lambdaFull() * last.repulsionFull()
                + c.lambdaPartial() * last.repulsionPartial();
        assertThat(last.total()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
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
