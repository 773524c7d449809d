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
  void rejectsForeignBytes() {
    assertThatThrownBy(() -> SnapshotCodec.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("magic");
  }
}
