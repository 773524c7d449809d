package io.quasid.model;

import static io.quasid.model.QuasidConfig.LossScale.ROW_SUM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TFloat32;

/** Every loss term against values computed by hand on tiny inputs. */
class LossesTest {

  private static float eval(Function<Ops, Operand<TFloat32>> loss) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Operand<TFloat32> out = loss.apply(Ops.create(g));
      try (Result r = s.runner().fetch(out).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  /**
   * Rows (1, 2) and (3, 4) against (1, 1): squared errors 0, 1, 4, 9. ROW_SUM: the mean of the row
   * sums 1 and 13, 7; ELEMENT_MEAN: the mean over rows and dimensions, 3.5.
   */
  @ParameterizedTest
  @CsvSource({"ROW_SUM, 7", "ELEMENT_MEAN, 3.5"})
  void reconstructionIsMeanSquaredErrorAtItsScale(QuasidConfig.LossScale scale, float expected) {
    float v =
        eval(
            tf ->
                Losses.reconstruction(
                    tf,
                    tf.constant(new float[][] {{1, 2}, {3, 4}}),
                    tf.constant(new float[][] {{1, 1}, {1, 1}}),
                    scale));
    assertThat(v).isCloseTo(expected, within(1e-6f));
  }

  /**
   * Rows (1, 0) and (0, 2) against zeros, beta 0.25: the codebook term plus beta times the
   * commitment term, each the squared error 1, 0, 0, 4. ROW_SUM: rows 1 + 0.25 and 4 + 1, mean
   * 3.125; ELEMENT_MEAN: 1.25 + 0.25 * 1.25 = 1.5625.
   */
  @ParameterizedTest
  @CsvSource({"ROW_SUM, 3.125", "ELEMENT_MEAN, 1.5625"})
  void quantizationAddsCodebookAndBetaCommitmentTermsAtItsScale(
      QuasidConfig.LossScale scale, float expected) {
    float v =
        eval(
            tf ->
                Losses.quantization(
                    tf,
                    tf.constant(new float[][] {{1, 0}, {0, 2}}),
                    tf.constant(new float[][] {{0, 0}, {0, 0}}),
                    0.25f,
                    scale));
    assertThat(v).isCloseTo(expected, within(1e-6f));
  }

  @Test
  void marginRepulsionAveragesHingeOverTierPairs() {
    // z0 = z1 (d = 0 -> hinge 0.8), z0 _|_ z2 (d = 1 -> hinge 0); mean over 2 pairs = 0.4
    float v =
        eval(
            tf ->
                Losses.marginRepulsion(
                    tf,
                    tf.constant(new float[][] {{1, 0}, {2, 0}, {0, 3}}),
                    tf.constant(new float[][] {{0, 1, 1}, {0, 0, 0}, {0, 0, 0}}),
                    0.8f));
    assertThat(v).isCloseTo(0.4f, within(1e-6f));
  }

  @Test
  void marginRepulsionOfEmptyTierIsZero() {
    float v =
        eval(
            tf ->
                Losses.marginRepulsion(
                    tf,
                    tf.constant(new float[][] {{1, 0}, {1, 0}}),
                    tf.constant(new float[][] {{0, 0}, {0, 0}}),
                    0.8f));
    assertThat(v).isZero();
  }

  @Test
  void infoNceMatchesHandComputedSymmetricLoss() {
    // tau = 0.5; forward logits [[2,0],[2,0]], positives (2, 0):
    //   log(e^2 + 1) - 2 = 0.126928, log(e^2 + 1) - 0 = 2.126928
    // backward logits [[2,2],[0,0]], positives (2, 0): log(2 e^2) - 2 = log 2, log 2 - 0 = log 2
    // mean over both directions and 2 pairs
    float expected = (float) ((0.126928 + 2.126928 + 2 * Math.log(2)) / 4);
    float v =
        eval(
            tf ->
                Losses.infoNce(
                    tf,
                    tf.constant(new float[][] {{1, 0}, {1, 0}}),
                    tf.constant(new float[][] {{1, 0}, {0, 1}}),
                    tf.constant(new float[][] {{1, 1}, {1, 1}}),
                    tf.constant(new float[][] {{1, 1}, {1, 1}}),
                    0.5f));
    assertThat(v).isCloseTo(expected, within(1e-5f));
  }

  @Test
  void infoNceIgnoresCandidatesRemovedFromTheDenominator() {
    // with every negative removed only the positive is left: -log(e^s / e^s) = 0
    float v =
        eval(
            tf ->
                Losses.infoNce(
                    tf,
                    tf.constant(new float[][] {{1, 0}, {0, 1}}),
                    tf.constant(new float[][] {{1, 0}, {1, 1}}),
                    tf.constant(new float[][] {{1, 0}, {0, 1}}),
                    tf.constant(new float[][] {{1, 0}, {0, 1}}),
                    0.1f));
    assertThat(v).isCloseTo(0f, within(1e-5f));
  }

  @Test
  void infoNceWithIdentityPairsIsLogOfOnePlusExpMinusInverseTau() {
    float v =
        eval(
            tf ->
                Losses.infoNce(
                    tf,
                    tf.constant(new float[][] {{1, 0}, {0, 1}}),
                    tf.constant(new float[][] {{1, 0}, {0, 1}}),
                    tf.constant(new float[][] {{1, 1}, {1, 1}}),
                    tf.constant(new float[][] {{1, 1}, {1, 1}}),
                    1f));
    assertThat(v).isCloseTo((float) Math.log(1 + Math.exp(-1)), within(1e-5f));
  }

  @Test
  void infoNceAgainstExplicitCandidatesUsesOnlyTheKeptRows() {
    // tau = 1; candidate rows (1,0) the trigger, (0,1) the target, (-1,0) another item.
    // forward: logits [1, 0, -1], kept targets and the other: log(1 + e^-1) - cos 0
    // backward: logits [0, 1, 0], kept trigger and the other: log(1 + 1) - 0
    float[][] rows = {{1, 0}, {0, 1}, {-1, 0}};
    float expected = (float) ((Math.log(1 + Math.exp(-1)) + Math.log(2)) / 2);
    float v =
        eval(
            tf ->
                Losses.infoNce(
                    tf,
                    tf.constant(new float[][] {{1, 0}}),
                    tf.constant(new float[][] {{0, 1}}),
                    tf.constant(rows),
                    tf.constant(rows),
                    tf.constant(new float[][] {{0, 1, 1}}),
                    tf.constant(new float[][] {{1, 0, 1}}),
                    1f));
    assertThat(v).isCloseTo(expected, within(1e-5f));
  }

  @Test
  void infoNceWithoutPairsIsZero() {
    float v =
        eval(
            tf ->
                Losses.infoNce(
                    tf,
                    tf.constant(new float[0][2]),
                    tf.constant(new float[0][2]),
                    tf.constant(new float[0][0]),
                    tf.constant(new float[0][0]),
                    0.1f));
    assertThat(v).isZero();
  }

  @Test
  void infoNceStaysExactAtTemperaturesWhereAFixedShiftUnderflows() {
    // tau = 0.005: positives are opposite (logit -200), negatives orthogonal (logit 0). Shifting
    // by 1/tau = 200 made every exp() underflow and the loss +inf; by the row maximum it is
    // log(e^-200 + 1) + 200 = 200 in each direction.
    float v =
        eval(
            tf ->
                Losses.infoNce(
                    tf,
                    tf.constant(new float[][] {{1, 0}, {0, 1}}),
                    tf.constant(new float[][] {{-1, 0}, {0, -1}}),
                    tf.constant(new float[][] {{1, 1}, {1, 1}}),
                    tf.constant(new float[][] {{1, 1}, {1, 1}}),
                    0.005f));
    assertThat(v).isCloseTo(200f, within(1e-3f));
  }

  @Test
  void infoNceShiftIgnoresCandidatesRemovedFromTheDenominator() {
    // The removed candidate (logit +100 at tau = 0.01) must not set the shift: the kept ones sit
    // at -100 and 0, so the forward loss of pair 0 is log(e^-100 + e^0) + 100 = 100.
    float v =
        eval(
            tf ->
                Losses.infoNce(
                    tf,
                    tf.constant(new float[][] {{1, 0}, {1, 0}, {0, 1}}),
                    tf.constant(new float[][] {{-1, 0}, {1, 0}, {0, 1}}),
                    tf.constant(new float[][] {{1, 0, 1}, {1, 1, 1}, {1, 1, 1}}),
                    tf.constant(new float[][] {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}),
                    0.01f));
    float expected = (float) (expected3x3(0.01) / 6);
    assertThat(v).isCloseTo(expected, within(1e-3f));
  }

  // Forward/backward InfoNCE of the 3-pair case above, in double precision.
  private static double expected3x3(double tau) {
    double[][] trig = {{1, 0}, {1, 0}, {0, 1}};
    double[][] targ = {{-1, 0}, {1, 0}, {0, 1}};
    int[][] keepForward = {{1, 0, 1}, {1, 1, 1}, {1, 1, 1}};
    double sum = 0;
    for (int b = 0; b < 3; b++) {
      sum += lse(trig[b], targ, keepForward[b], tau) - dot(trig[b], targ[b]) / tau;
      sum += lse(targ[b], trig, new int[] {1, 1, 1}, tau) - dot(trig[b], targ[b]) / tau;
    }
    return sum;
  }

  private static double lse(double[] a, double[][] cands, int[] keep, double tau) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < cands.length; j++) {
      if (keep[j] == 1) {
        max = Math.max(max, dot(a, cands[j]) / tau);
      }
    }
    double s = 0;
    for (int j = 0; j < cands.length; j++) {
      if (keep[j] == 1) {
        s += Math.exp(dot(a, cands[j]) / tau - max);
      }
    }
    return Math.log(s) + max;
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1];
  }

  @Test
  void infoNceGradientIsFiniteAtSmallTemperature() {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> trig = tf.constant(new float[][] {{1, 0}, {0, 1}});
      Operand<TFloat32> loss =
          Losses.infoNce(
              tf,
              trig,
              tf.constant(new float[][] {{-1, 0.1f}, {0.1f, -1}}),
              tf.constant(new float[][] {{1, 1}, {1, 1}}),
              tf.constant(new float[][] {{1, 1}, {1, 1}}),
              0.005f);
      Gradients grads = tf.gradients(loss, List.of(trig));
      try (Result r = s.runner().fetch(grads.dy(0)).run()) {
        float[] grad = TensorIo.flat((TFloat32) r.get(0));
        for (float v : grad) {
          assertThat(Float.isFinite(v)).isTrue();
        }
        assertThat(Math.abs(grad[1])).isGreaterThan(0f);
      }
    }
  }

  @Test
  void quantizationIsCodebookPlusBetaTimesCommitment() {
    float[][] r = {{1, 2}, {-1, 0.5f}};
    float[][] q = {{0.5f, 1}, {0, 0}};
    float total =
        eval(tf -> Losses.quantization(tf, tf.constant(r), tf.constant(q), 0.25f, ROW_SUM));
    float codebook = eval(tf -> Losses.codebook(tf, tf.constant(r), tf.constant(q), ROW_SUM));
    float commitment = eval(tf -> Losses.commitment(tf, tf.constant(r), tf.constant(q), ROW_SUM));
    // rows: 0.25 + 1 = 1.25 and 1 + 0.25 = 1.25 -> mean 1.25 for both parts
    assertThat(codebook).isCloseTo(1.25f, within(1e-6f));
    assertThat(commitment).isCloseTo(1.25f, within(1e-6f));
    assertThat(total).isCloseTo(codebook + 0.25f * commitment, within(1e-6f));
  }
}
