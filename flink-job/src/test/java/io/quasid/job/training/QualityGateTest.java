package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class QualityGateTest {
  private final QualityGate gate = new QualityGate(0.01, 0.05, 0.5);

  /** Four items; collisions from the codes; coherence given. */
  private static GateMeasurement measured(int[][] codes, double coherence) {
    return new GateMeasurement(codes, CodeUsageStats.of(codes, 2, 4), coherence);
  }

  private static final int[][] LIVE = {{0, 0}, {1, 1}, {2, 2}, {3, 3}};

  @Test
  void rejectsNonFiniteLossesWhateverTheCollisions() {
    GateDecision d = gate.evaluate(false, measured(LIVE, 0.5), measured(LIVE, 0.5));
    assertThat(d.accepted()).isFalse();
    assertThat(d.lossesFinite()).isFalse();
    assertThat(d.failed()).isEqualTo(QualityGate.Criterion.NON_FINITE_LOSS);
  }

  @Test
  void acceptsTheFirstFiniteVersion() {
    int[][] allCollide = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};
    assertThat(gate.evaluate(true, measured(allCollide, 0.0), null).accepted()).isTrue();
  }

  @Test
  void collisions() {
    // One of four items moved onto another's codes: collision rate (4 - 3) / 4 against 0.
    int[][] collide = {{0, 0}, {0, 0}, {2, 2}, {3, 3}};
    GateDecision worse = gate.evaluate(true, measured(collide, 0.5), measured(LIVE, 0.5));
    assertThat(worse.accepted()).isFalse();
    assertThat(worse.failed()).isEqualTo(QualityGate.Criterion.COLLISIONS);
    assertThat(worse.reason()).startsWith("collisions:").contains("0.2500").contains("0.0000");
    assertThat(worse.churn()).isEqualTo(0.25);
    QualityGate strict = new QualityGate(-0.1, 1, 1);
    assertThat(strict.evaluate(true, measured(LIVE, 0.5), measured(LIVE, 0.5)).accepted())
        .as("a negative tolerance demands an improvement")
        .isFalse();
  }

  @Test
  void coherence() {
    GateDecision within = gate.evaluate(true, measured(LIVE, 0.46), measured(LIVE, 0.5));
    assertThat(within.accepted()).isTrue();
    GateDecision worse = gate.evaluate(true, measured(LIVE, 0.44), measured(LIVE, 0.5));
    assertThat(worse.accepted()).isFalse();
    assertThat(worse.failed()).isEqualTo(QualityGate.Criterion.COHERENCE);
    assertThat(worse.reason()).startsWith("coherence:").contains("0.4400").contains("0.5000");
    assertThat(gate.evaluate(true, measured(LIVE, Double.NaN), measured(LIVE, 0.5)).accepted())
        .as("without pairs coherence is not judged")
        .isTrue();
  }

  @Test
  void churn() {
    // Three of four items change codes (no new collisions): 0.75 > budget 0.5.
    int[][] moved = {{0, 0}, {1, 2}, {2, 3}, {3, 1}};
    GateDecision d = gate.evaluate(true, measured(moved, 0.5), measured(LIVE, 0.5));
    assertThat(d.accepted()).isFalse();
    assertThat(d.failed()).isEqualTo(QualityGate.Criterion.CHURN);
    assertThat(d.churn()).isEqualTo(0.75);
    assertThat(d.reason()).startsWith("churn:").contains("0.7500").contains("0.5000");
    int[][] two = {{0, 0}, {1, 2}, {2, 3}, {3, 3}};
    assertThat(gate.evaluate(true, measured(two, 0.5), measured(LIVE, 0.5)).accepted()).isTrue();
  }

  @Test
  void coherenceCountsPairsSharingTheirFirstTwoCodes() {
    int[][] a = {{1, 2, 3}, {1, 2, 9}, {1, 3, 3}, {4, 2, 3}};
    int[][] b = {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}, {1, 2, 3}};
    assertThat(GateMeasurement.coherence(a, b, 2)).isEqualTo(0.5);
    assertThat(GateMeasurement.coherence(a, b, 1)).isEqualTo(0.75);
    assertThat(GateMeasurement.coherence(new int[0][], new int[0][], 2)).isNaN();
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
