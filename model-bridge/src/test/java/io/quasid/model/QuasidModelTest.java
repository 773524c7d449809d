package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuasidModelTest {

  private static QuasidConfig smallConfig() {
    return QuasidConfig.builder(16)
        .encoderHidden(32)
        .latentDim(8)
        .levels(2)
        .codebookSize(8)
        .learningRate(1e-2f)
        .kmeansIterations(5)
        .deadCodeSteps(20)
        .build();
  }

  @Test
  void smoke() {
    float[][] x = SyntheticData.clustered(64, 8, 16, 0.1f, 1);
    try (QuasidModel model = QuasidModel.create(smallConfig())) {
      Encoding e = model.encode(x);
      assertThat(model.codebooksInitialized()).isFalse();
      TrainBatch batch =
          new TrainBatch(x, SyntheticData.ids(64), null, SyntheticData.sameClusterPairs(64, 8));
      for (int i = 0; i < 50; i++) {
        TrainResult r = model.trainStep(batch);
        System.out.println(r);
      }
      assertThat(e.codes()).hasNumberOfRows(64);
    }
  }
}
