package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class QualityGateTest {
  private final QualityGate gate = new QualityGate(0.01);

  @Test
  void rejectsNonFiniteLossesWhateverTheCollisions() {
    GateDecision d = gate.evaluate(false, 0.0, 0.5);
    assertThat(d.accepted()).isFalse();
    assertThat(d.lossesFinite()).isFalse();
    assertThat(gate.evaluate(true, Double.NaN, 0.5).accepted()).isFalse();
  }

  @Test
  void acceptsTheFirstFiniteVersion() {
    assertThat(gate.evaluate(true, 0.9, Double.NaN).accepted()).isTrue();
  }

  @Test
  void acceptsWithinToleranceAndRejectsWorse() {
    assertThat(gate.evaluate(true, 0.105, 0.10).accepted()).isTrue();
    assertThat(gate.evaluate(true, 0.05, 0.10).accepted()).isTrue();
    GateDecision worse = gate.evaluate(true, 0.12, 0.10);
    assertThat(worse.accepted()).isFalse();
    assertThat(worse.lossesFinite()).isTrue();
    assertThat(worse.reason()).contains("0.1200").contains("0.1000");
  }

  @Test
  void negativeToleranceDemandsAnImprovement() {
    QualityGate strict = new QualityGate(-0.02);
    assertThat(strict.evaluate(true, 0.09, 0.10).accepted()).isFalse();
    assertThat(strict.evaluate(true, 0.07, 0.10).accepted()).isTrue();
  }

  @Test
  void codeUsageStatsMatchHandComputedValues() {
    int[][] codes = {{0, 1}, {0, 1}, {1, 2}, {3, 2}};
    CodeUsageStats s = CodeUsageStats.of(codes, 2, 4);

    assertThat(s.collisionRate()).isEqualTo(0.25);
    assertThat(s.utilisation()).containsExactly(0.75, 0.5);
    // Level 0 usage (1/2, 1/4, 1/4): entropy 1.5 ln 2, perplexity 2^1.5; level 1 (1/2, 1/2): 2.
    assertThat(s.perplexity()[0]).isCloseTo(Math.pow(2, 1.5), offset(1e-9));
    assertThat(s.perplexity()[1]).isCloseTo(2.0, offset(1e-9));
    assertThat(CodeUsageStats.of(new int[0][], 2, 4).collisionRate()).isZero();
  }
}
