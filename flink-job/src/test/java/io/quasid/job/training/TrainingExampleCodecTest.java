package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingExampleCodecTest {

  @Test
  void itemsPairsAndDeletionsRoundTripWithTheirNulls() {
    List<TrainingExample> examples =
        List.of(
            TrainingExample.item("a", new float[] {1f, -2.5f, Float.MIN_VALUE}, null, 7),
            TrainingExample.pair(
                "b", new float[] {0f}, "g", "ü-" + "x".repeat(70_000), new float[] {3f}, null, 8),
            TrainingExample.deletion("c", 9));

    List<TrainingExample> decoded =
        TrainingExampleCodec.decode(TrainingExampleCodec.encode(examples));

    assertThat(decoded)
        .usingRecursiveFieldByFieldElementComparator()
        .as("ids over 64 KiB too, which DataOutput.writeUTF refuses")
        .isEqualTo(examples);
  }

  @Test
  void anEmptySampleRoundTrips() {
    assertThat(TrainingExampleCodec.decode(TrainingExampleCodec.encode(List.of()))).isEmpty();
  }

  @Test
  void bytesOfAnotherFormatAreRefusedWithAClearMessage() {
    assertThatThrownBy(() -> TrainingExampleCodec.decode(new byte[] {0, 0, 0, 9, 0, 0, 0, 0}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("format 9");
  }
}
