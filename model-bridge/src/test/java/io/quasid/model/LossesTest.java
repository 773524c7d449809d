package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
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

  @Test
  void reconstructionIsMeanOfRowSquaredErrors() {
    // rows: (1-1)^2 + (2-1)^2 = 1 and (3-1)^2 + (4-1)^2 = 13 -> mean 7
    float v =
        eval(
            tf ->
                Losses.reconstruction(
                    tf,
                    tf.constant(new float[][] {{1, 2}, {3, 4}}),
                    tf.constant(new float[][] {{1, 1}, {1, 1}})));
    assertThat(v).isCloseTo(7f, within(1e-6f));
  }

  @Test
  void quantizationAddsCodebookAndBetaCommitmentTerms() {
    // row 1: ||(1,0)||^2 = 1 -> 1 + 0.25 * 1; row 2: ||(0,2)||^2 = 4 -> 4 + 0.25 * 4; mean 3.125
    float v =
        eval(
            tf ->
                Losses.quantization(
                    tf,
                    tf.constant(new float[][] {{1, 0}, {0, 2}}),
                    tf.constant(new float[][] {{0, 0}, {0, 0}}),
                    0.25f));
    assertThat(v).isCloseTo(3.125f, within(1e-6f));
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
}
