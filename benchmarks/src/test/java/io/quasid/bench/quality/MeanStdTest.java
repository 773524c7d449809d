package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeanStdTest {

  @Test
  void sampleStandardDeviation() {
    MeanStd m = MeanStd.of(new double[] {1, 2, 3, 4});

    assertThat(m.mean()).isEqualTo(2.5);
    assertThat(m.std()).isCloseTo(Math.sqrt(5 / 3.0), within(1e-12));
    assertThat(m.format()).isEqualTo("2.5000 ± 1.2910");
  }

  @Test
  void singleValueHasZeroSpread() {
    assertThat(MeanStd.of(new double[] {0.25}).std()).isZero();
  }
}
