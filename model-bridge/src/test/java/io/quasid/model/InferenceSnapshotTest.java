package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceSnapshotTest {

  private static final int DIM = 16;
  private static final float[][] DATA = SyntheticData.clustered(64, 8, DIM, 0.3f, 5);
  private static final TrainBatch BATCH =
      new TrainBatch(
          DATA, SyntheticData.ids(DATA.length), null, SyntheticData.sameClusterPairs(64, 8));

  private static QuasidConfig small() {
    return QuasidConfig.builder(DIM)
        .encoderHidden(32)
        .latentDim(8)
        .levels(2)
        .codebookSize(8)
        .learningRate(1e-2f)
        .kmeansIterations(5)
        .deadCodeSteps(5)
        .build();
  }

  private static float[][] gaussian(int n, int dim, long seed) {
    Random random = new Random(seed);
    float[][] x = new float[n][dim];
    for (float[] row : x) {
      for (int d = 0; d < dim; d++) {
        row[d] = (float) random.nextGaussian();
      }
    }
    return x;
  }

  private static void assertEncodesAlike(SidTokenizer actual, SidTokenizer expected, float[][] x) {
    Encoding a = actual.encode(x);
    Encoding e = expected.encode(x);
    assertThat(a.codes()).isDeepEqualTo(e.codes());
    assertThat(a.residualNorms()).containsExactly(e.residualNorms());
  }

  @Test
  void restoredInferenceSnapshotEncodesExactlyLikeTheFullModel() {
    try (QuasidModel full = QuasidModel.create(small())) {
      for (int i = 0; i < 20; i++) {
        full.trainStep(BATCH);
      }
      full.bumpVersion();
      ModelSnapshot snapshot = full.inferenceSnapshot();
      assertThat(snapshot.step()).isEqualTo(20);
      assertThat(snapshot.modelVersion()).isEqualTo(1);
      try (QuasidModel inference = QuasidModel.restore(snapshot.bytes())) {
        assertThat(inference.inferenceOnly()).isTrue();
        assertThat(full.inferenceOnly()).isFalse();
        assertEncodesAlike(inference, full, gaussian(500, DIM, 11));
        assertEncodesAlike(inference, full, DATA);
        assertThat(inference.step()).isEqualTo(20);
        assertThat(inference.modelVersion()).isEqualTo(1);
        assertThat(inference.skippedSteps()).isEqualTo(full.skippedSteps());
        assertThat(inference.codebooksInitialized()).isTrue();
        assertThat(inference.config()).usingRecursiveComparison().isEqualTo(full.config());
        // an encoding operator can pass it on: the inference snapshot of an inference model
        try (QuasidModel again = QuasidModel.restore(inference.inferenceSnapshot().bytes())) {
          assertEncodesAlike(again, full, gaussian(100, DIM, 12));
        }
      }
    }
  }

  @Test
  void holdsOnlyTheEncoderAndTheCodebooks() {
    try (QuasidModel full = QuasidModel.create(small())) {
      ModelState state = SnapshotCodec.decode(full.inferenceSnapshot().bytes());
      assertThat(state.inferenceOnly()).isTrue();
      assertThat(state.variables().keySet())
          .containsExactly(
              "codebook_0", "codebook_1", "encoder_b0", "encoder_b1", "encoder_w0", "encoder_w1");
      assertThat(SnapshotCodec.decode(full.snapshot().bytes()).inferenceOnly()).isFalse();
    }
  }

  @Test
  void inferenceOnlyModelRefusesToTrainSnapshotOrExport(@TempDir Path tmp) {
    try (QuasidModel full = QuasidModel.create(small());
        QuasidModel inference = QuasidModel.restore(full.inferenceSnapshot().bytes())) {
      assertThatThrownBy(() -> inference.trainStep(BATCH))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("inference-only model: restore a full snapshot to train");
      assertThatThrownBy(inference::snapshot)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("inference-only model: restore a full snapshot to train");
      assertThatThrownBy(() -> inference.exportSavedModel(tmp.resolve("out")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("inference-only model: restore a full snapshot to train");
      assertThatThrownBy(() -> inference.initCodebooks(DATA))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("inference-only model: restore a full snapshot to train");
      assertThat(tmp.resolve("out")).doesNotExist();
      // refusing changed nothing: it still encodes like the model it came from
      assertEncodesAlike(inference, full, DATA);
      assertThat(inference.step()).isZero();
    }
  }

  @Test
  void inferenceSnapshotMissingACodebookIsRejected() {
    try (QuasidModel full = QuasidModel.create(small())) {
      ModelState state = SnapshotCodec.decode(full.inferenceSnapshot().bytes());
      state.variables().remove("codebook_1");
      byte[] bytes = SnapshotCodec.encode(state);
      assertThatThrownBy(() -> QuasidModel.restore(bytes))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("lacks variables");
    }
  }

  @Test
  void isUnderFortyPercentOfTheFullSnapshotAtTheDefaultSize() {
    // default knobs (encoder 512-256-128, latent 32, 3 x 256 codes) on 768-d text embeddings
    try (QuasidModel full = QuasidModel.create(QuasidConfig.builder(768).build())) {
      int fullBytes = full.snapshot().bytes().length;
      byte[] inferenceBytes = full.inferenceSnapshot().bytes();
      System.out.printf(
          "default-size snapshot: full %d bytes, inference-only %d bytes (%.1f%%)%n",
          fullBytes, inferenceBytes.length, 100.0 * inferenceBytes.length / fullBytes);
      assertThat((double) inferenceBytes.length).isLessThan(0.4 * fullBytes);
      try (QuasidModel inference = QuasidModel.restore(inferenceBytes)) {
        assertEncodesAlike(inference, full, gaussian(200, 768, 13));
      }
    }
  }
}
