package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

  private static double[][] noise(int seeds, int users, double mean, double sd, long seed) {
    Random r = new Random(seed);
    double[][] v = new double[seeds][users];
    for (double[] row : v) {
      for (int u = 0; u < users; u++) {
        row[u] = mean + sd * r.nextGaussian();
      }
    }
    return v;
  }

  @Test
  void aConstantPerUserShiftHasAZeroWidthInterval() {
    double[][] base = noise(3, 500, 0.3, 0.2, 1);
    double[][] row = new double[3][500];
    for (int s = 0; s < 3; s++) {
      for (int u = 0; u < 500; u++) {
        row[s][u] = base[s][u] + 0.01;
      }
    }

    PairedBootstrap.Interval ci = new PairedBootstrap(200, 7).delta(row, base, true);

    assertThat(ci.delta()).isCloseTo(0.01, within(1e-12));
    assertThat(ci.low()).isCloseTo(0.01, within(1e-9));
    assertThat(ci.high()).isCloseTo(0.01, within(1e-9));
    assertThat(ci.above()).isTrue();
    assertThat(ci.format()).startsWith("+0.0100 [+0.0100, +0.0100] ▲");
  }

  @Test
  void pairingPerUserRemovesTheUserVariance() {
    // Users differ a lot (sd 0.3), the row adds a small effect with little noise of its own.
    double[][] base = noise(1, 2000, 0.3, 0.3, 2);
    double[][] own = noise(1, 2000, 0.005, 0.02, 3);
    double[][] row = {new double[2000]};
    for (int u = 0; u < 2000; u++) {
      row[0][u] = base[0][u] + own[0][u];
    }

    PairedBootstrap.Interval ci = new PairedBootstrap(500, 7).delta(row, base, true);

    assertThat(ci.low()).isPositive();
    assertThat(ci.high() - ci.low()).isLessThan(0.004);
  }

  @Test
  void noEffectGivesAnIntervalAroundZero() {
    double[][] base = noise(5, 1000, 0.3, 0.2, 4);
    double[][] row = noise(5, 1000, 0.3, 0.2, 5);

    PairedBootstrap.Interval ci = new PairedBootstrap(500, 7).delta(row, base, true);

    assertThat(ci.low()).isNegative();
    assertThat(ci.high()).isPositive();
    assertThat(ci.above() || ci.below()).isFalse();
  }

  @Test
  void seedVarianceWidensTheInterval() {
    // Every user gains 0.01, but the tokenizer seeds disagree by +-0.02: not a resolved effect.
    double[][] base = new double[4][300];
    double[][] row = new double[4][300];
    double[] seedShift = {0.03, -0.01, 0.03, -0.01};
    for (int s = 0; s < 4; s++) {
      for (int u = 0; u < 300; u++) {
        base[s][u] = 0.2;
        row[s][u] = 0.2 + seedShift[s];
      }
    }

    PairedBootstrap.Interval ci = new PairedBootstrap(1000, 7).delta(row, base, true);

    assertThat(ci.delta()).isCloseTo(0.01, within(1e-12));
    assertThat(ci.low()).isLessThan(0.0);
    assertThat(ci.high()).isGreaterThan(0.02);
  }

  @Test
  void unpairedSeedsAreDrawnIndependently() {
    double[][] base = {{0.1, 0.1}, {0.3, 0.3}};
    double[][] row = {{0.25, 0.25}};

    PairedBootstrap.Interval ci = new PairedBootstrap(400, 7).delta(row, base, true);

    assertThat(ci.delta()).isCloseTo(0.05, within(1e-12));
    assertThat(ci.low()).isCloseTo(-0.05, within(1e-12));
    assertThat(ci.high()).isCloseTo(0.15, within(1e-12));
  }

  @Test
  void rejectsRaggedInput() {
    assertThatThrownBy(
            () ->
                new PairedBootstrap(100, 1)
                    .delta(new double[][] {{1, 2}}, new double[][] {{1}}, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PairedBootstrap(5, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
