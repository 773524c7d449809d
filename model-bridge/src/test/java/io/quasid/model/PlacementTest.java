package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlacementTest {

  @Test
  void aRestoreRunsWhereItIsToldAndEncodesExactlyAsTheSnapshot() {
    QuasidConfig config =
        QuasidConfig.builder(8)
            .encoderHidden(16)
            .latentDim(4)
            .levels(2)
            .codebookSize(4)
            .intraOpThreads(1)
            .interOpThreads(2)
            .build();
    float[][] vectors = new float[40][8];
    Random random = new Random(3);
    for (float[] v : vectors) {
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) random.nextGaussian();
      }
    }
    try (QuasidModel original = QuasidModel.create(config)) {
      original.initCodebooks(vectors);
      byte[] full = original.snapshot().bytes();
      byte[] inference = original.inferenceSnapshot().bytes();
      Encoding expected = original.encode(vectors);
      Placement placement = new Placement("/cpu:0", 2, 1);
      for (byte[] bytes : new byte[][] {full, inference}) {
        try (QuasidModel placed = QuasidModel.restore(bytes, placement)) {
          assertThat(placed.config().intraOpThreads()).isEqualTo(2);
          assertThat(placed.config().interOpThreads()).isEqualTo(1);
          Encoding actual = placed.encode(vectors);
          assertThat(actual.codes()).isDeepEqualTo(expected.codes());
          assertThat(actual.residualNorms()).containsExactly(expected.residualNorms());
        }
      }
      try (QuasidModel asWritten = QuasidModel.restore(full)) {
        assertThat(asWritten.config().intraOpThreads()).isEqualTo(1);
      }
    }
  }

  @Test
  void rejectsNegativeThreadsAndAnEmptyDevice() {
    assertThatThrownBy(() -> new Placement("/cpu:0", -1, 1)).hasMessageContaining("threads");
    assertThatThrownBy(() -> new Placement(" ", 1, 1)).hasMessageContaining("device");
  }
}
