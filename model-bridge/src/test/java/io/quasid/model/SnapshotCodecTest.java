package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

  @Test
  void roundTripsEveryField() {
    QuasidConfig config =
        QuasidConfig.builder(12)
            .encoderHidden(7, 5)
            .latentDim(3)
            .levels(4)
            .codebookSize(9)
            .partialRadius(2)
            .seed(-3)
            .masking(false)
            .maskNearDuplicates(true)
            .temperature(0.07f)
            .codebookLearningRate(0.03f)
            .device("/gpu:0")
            .intraOpThreads(3)
            .build();
    ModelState state =
        new ModelState(
            config, 17, 4, true, new DeadCodeTracker(4, 9), Map.of("w", new float[] {1.5f, -2}));
    ModelState back = SnapshotCodec.decode(SnapshotCodec.encode(state));
    assertThat(back.config()).usingRecursiveComparison().isEqualTo(config);
    assertThat(Arrays.equals(back.config().encoderHidden(), new int[] {7, 5})).isTrue();
    assertThat(back.step()).isEqualTo(17);
    assertThat(back.modelVersion()).isEqualTo(4);
    assertThat(back.codebooksInitialized()).isTrue();
    assertThat(back.variables().get("w")).containsExactly(1.5f, -2f);
  }

  @Test
  void readsFormatOneSnapshotsWithCodebooksAtTheEncodersLearningRate() {
    QuasidConfig config = QuasidConfig.builder(12).encoderHidden(7, 5).learningRate(2e-3f).build();
    byte[] current =
        SnapshotCodec.encode(
            new ModelState(config, 3, 1, true, new DeadCodeTracker(3, 256), Map.of()));
    // Format 1 is format 2 without the codebook learning rate, which follows the learning rate:
    // magic, format, inputDim, hidden count, 2 hidden sizes, latentDim, levels, K, beta, lr.
    int codebookRateAt = 4 * 11;
    byte[] formatOne = new byte[current.length - 4];
    System.arraycopy(current, 0, formatOne, 0, codebookRateAt);
    System.arraycopy(
        current, codebookRateAt + 4, formatOne, codebookRateAt, formatOne.length - codebookRateAt);
    formatOne[7] = 1;

    ModelState back = SnapshotCodec.decode(formatOne);
    assertThat(back.config().codebookLearningRate()).isEqualTo(2e-3f);
    assertThat(
            back.config().toBuilder().codebookLearningRate(config.codebookLearningRate()).build())
        .usingRecursiveComparison()
        .isEqualTo(config);
    assertThat(back.step()).isEqualTo(3);
  }

  @Test
  void rejectsFormatsFromTheFuture() {
    byte[] bytes =
        SnapshotCodec.encode(
            new ModelState(
                QuasidConfig.builder(4).build(),
                0,
                0,
                false,
                new DeadCodeTracker(3, 256),
                Map.of()));
    bytes[7] = 9;
    assertThatThrownBy(() -> SnapshotCodec.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format 9");
  }

  @Test
  void rejectsForeignBytes() {
    assertThatThrownBy(() -> SnapshotCodec.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("magic");
  }
}
