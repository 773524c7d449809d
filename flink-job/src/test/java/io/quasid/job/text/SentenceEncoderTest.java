package io.quasid.job.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceEncoderTest {

  private static final List<String> TEXTS =
      List.of(
          "Digital caliper, 150 mm, stainless steel. Neiko. Measuring tools",
          "Borosilicate glass beaker set, 50-1000 ml. Lab supplies");

  @Test
  void aCappedThreadCountEmbedsAsOnnxRuntimesDefaultDoes() {
    float[][] byDefault = new SentenceEncoder().embed(TEXTS);
    float[][] oneThread = new SentenceEncoder(1).embed(TEXTS);

    assertThat(oneThread).hasNumberOfRows(TEXTS.size());
    for (int i = 0; i < TEXTS.size(); i++) {
      assertThat(oneThread[i]).hasSize(SentenceEncoder.DIMENSION);
      assertThat(dot(oneThread[i], oneThread[i])).isCloseTo(1.0, within(1e-4));
      assertThat(dot(oneThread[i], byDefault[i])).as("text %d", i).isCloseTo(1.0, within(1e-5));
    }
    assertThat(dot(oneThread[0], oneThread[1])).as("different texts differ").isLessThan(0.9);
  }

  @Test
  void aNegativeThreadCountIsRefused() {
    assertThatThrownBy(() -> new SentenceEncoder(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 0");
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
