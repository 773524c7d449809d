package io.quasid.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The QuaSID loss terms as pure graph functions. Each is a mean over its rows or pairs, and 0 when
 * there is nothing to average (an empty tier, no positive pairs). Only ops with registered C++
 * gradients are used (no {@code square} on variables, no sparse softmax).
 */
public final class Losses {

  private static final float NORM_EPSILON = 1e-12f;

  private Losses() {}

  /**
   * L_rec: ||x - xHat||^2 averaged over rows (ROW_SUM) or the same squared errors averaged over
   * rows and dimensions (ELEMENT_MEAN).
   */
  public static Operand<TFloat32> reconstruction(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> xHat, QuasidConfig.LossScale scale) {
    return reduce(tf, tf.math.squaredDifference(x, xHat), scale);
  }

  /**
   * One level of L_rq: ||sg(r) - q||^2 + beta * ||r - sg(q)||^2 reduced as {@code scale} says; the
   * first part moves the codebook towards the residuals, the second commits the encoder to its
   * codes.
   */
  public static Operand<TFloat32> quantization(
      Ops tf,
      Operand<TFloat32> residual,
      Operand<TFloat32> quantized,
      float beta,
      QuasidConfig.LossScale scale) {
    Operand<TFloat32> codebook = codebookErrors(tf, residual, quantized);
    Operand<TFloat32> commitment = commitmentErrors(tf, residual, quantized);
    Operand<TFloat32> b = tf.constant(beta);
    return switch (scale) {
      // the graph from before the scales existed, op for op: a seeded model trains to the
      // same codes
      case ROW_SUM ->
          meanOfRows(tf, tf.math.add(rowSum(tf, codebook), tf.math.mul(b, rowSum(tf, commitment))));
      case ELEMENT_MEAN ->
          tf.math.add(reduce(tf, codebook, scale), tf.math.mul(b, reduce(tf, commitment, scale)));
    };
  }

  /** The codebook part of one level of L_rq: ||sg(r) - q||^2 (moves only the codes). */
  public static Operand<TFloat32> codebook(
      Ops tf,
      Operand<TFloat32> residual,
      Operand<TFloat32> quantized,
      QuasidConfig.LossScale scale) {
    return reduce(tf, codebookErrors(tf, residual, quantized), scale);
  }

  /** The commitment part of one level of L_rq, without beta: ||r - sg(q)||^2. */
  public static Operand<TFloat32> commitment(
      Ops tf,
      Operand<TFloat32> residual,
      Operand<TFloat32> quantized,
      QuasidConfig.LossScale scale) {
    return reduce(tf, commitmentErrors(tf, residual, quantized), scale);
  }

  /** ||sg(r) - q||^2 per element: its gradient reaches only the codebook. */
  private static Operand<TFloat32> codebookErrors(
      Ops tf, Operand<TFloat32> residual, Operand<TFloat32> quantized) {
    return tf.math.squaredDifference(tf.stopGradient(residual), quantized);
  }

  /** ||r - sg(q)||^2 per element: its gradient reaches only the encoder. */
  private static Operand<TFloat32> commitmentErrors(
      Ops tf, Operand<TFloat32> residual, Operand<TFloat32> quantized) {
    return tf.math.squaredDifference(residual, tf.stopGradient(quantized));
  }

  private static Operand<TFloat32> reduce(
      Ops tf, Operand<TFloat32> squaredErrors, QuasidConfig.LossScale scale) {
    return switch (scale) {
      case ROW_SUM -> meanOfRows(tf, rowSum(tf, squaredErrors));
      case ELEMENT_MEAN -> tf.math.mean(squaredErrors, tf.constant(new int[] {0, 1}));
    };
  }

  /** Row-wise cosine similarities {@code [n][m]} of {@code a[n][e]} and {@code b[m][e]}. */
  public static Operand<TFloat32> cosineMatrix(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.linalg.matMul(normalize(tf, a), normalize(tf, b), MatMul.transposeB(true));
  }

  /**
   * Symmetric in-batch InfoNCE over P pairs: for pair b, {@code -log exp(s_bb/tau) / sum_j keep_bj
   * exp(s_bj/tau)} with s the cosine similarity, in both directions, averaged. The keep masks
   * ({@code [P][P]}, 1 on the diagonal) drop other known positives from the denominators.
   */
  public static Operand<TFloat32> infoNce(
      Ops tf,
      Operand<TFloat32> triggers,
      Operand<TFloat32> targets,
      Operand<TFloat32> keepTriggerToTarget,
      Operand<TFloat32> keepTargetToTrigger,
      float temperature) {
    // The candidates are the normalised pairs themselves, not a second normalisation of them: the
    // same graph as before candidates existed, so a seeded model trains to the same codes.
    Operand<TFloat32> trig = normalize(tf, triggers);
    Operand<TFloat32> targ = normalize(tf, targets);
    return normalizedInfoNce(
        tf, trig, targ, targ, trig, keepTriggerToTarget, keepTargetToTrigger, temperature);
  }

  /**
   * Symmetric InfoNCE over P pairs against explicit candidate sets: trigger b's denominator runs
   * over the rows of {@code forwardCandidates} kept by {@code keepForward[b]} ({@code [P][C]}),
   * which must keep its own target; the reverse direction likewise. With every batch row as
   * candidates each pair also meets the batch's other items as negatives.
   */
  public static Operand<TFloat32> infoNce(
      Ops tf,
      Operand<TFloat32> triggers,
      Operand<TFloat32> targets,
      Operand<TFloat32> forwardCandidates,
      Operand<TFloat32> backwardCandidates,
      Operand<TFloat32> keepForward,
      Operand<TFloat32> keepBackward,
      float temperature) {
    return normalizedInfoNce(
        tf,
        normalize(tf, triggers),
        normalize(tf, targets),
        normalize(tf, forwardCandidates),
        normalize(tf, backwardCandidates),
        keepForward,
        keepBackward,
        temperature);
  }

  private static Operand<TFloat32> normalizedInfoNce(
      Ops tf,
      Operand<TFloat32> trig,
      Operand<TFloat32> targ,
      Operand<TFloat32> forwardCandidates,
      Operand<TFloat32> backwardCandidates,
      Operand<TFloat32> keepForward,
      Operand<TFloat32> keepBackward,
      float temperature) {
    Operand<TFloat32> invTau = tf.constant(1f / temperature);
    Operand<TFloat32> positives = tf.math.mul(rowSum(tf, tf.math.mul(trig, targ)), invTau);
    Operand<TFloat32> forward =
        tf.math.mul(tf.linalg.matMul(trig, forwardCandidates, MatMul.transposeB(true)), invTau);
    Operand<TFloat32> backward =
        tf.math.mul(tf.linalg.matMul(targ, backwardCandidates, MatMul.transposeB(true)), invTau);
    // Masked-out candidates are pushed below every logit (all lie in [-1/tau, 1/tau]), so the row
    // maximum used as the shift is that of the kept candidates.
    Operand<TFloat32> below = tf.constant(2f / temperature + 1f);
    Operand<TFloat32> lossForward =
        tf.math.sub(maskedLogSumExp(tf, forward, keepForward, below), positives);
    Operand<TFloat32> lossBackward =
        tf.math.sub(maskedLogSumExp(tf, backward, keepBackward, below), positives);
    Operand<TFloat32> pairs =
        tf.reduceSum(tf.reduceMax(keepForward, tf.constant(1)), tf.constant(0));
    Operand<TFloat32> total =
        tf.math.add(
            tf.reduceSum(lossForward, tf.constant(0)), tf.reduceSum(lossBackward, tf.constant(0)));
    return tf.math.div(
        total, tf.math.mul(tf.constant(2f), tf.math.maximum(pairs, tf.constant(1f))));
  }

  /**
   * Hinge repulsion of one Hamming tier: mean over the pairs in {@code tierMask[n][n]} of {@code
   * [margin - (1 - cos(z_i, z_j))]_+}; 0 when the tier is empty.
   */
  public static Operand<TFloat32> marginRepulsion(
      Ops tf, Operand<TFloat32> z, Operand<TFloat32> tierMask, float margin) {
    Operand<TFloat32> distance = tf.math.sub(tf.constant(1f), cosineMatrix(tf, z, z));
    Operand<TFloat32> hinge = tf.nn.relu(tf.math.sub(tf.constant(margin), distance));
    Operand<TInt32> allAxes = tf.constant(new int[] {0, 1});
    Operand<TFloat32> pairs = tf.reduceSum(tierMask, allAxes);
    return tf.math.div(
        tf.reduceSum(tf.math.mul(hinge, tierMask), allAxes),
        tf.math.maximum(pairs, tf.constant(1f)));
  }

  /**
   * {@code log sum_j keep_j exp(l_j)} per row, shifted by the row's largest kept logit: the kept
   * maximum contributes exp(0) = 1, so the sum never underflows to 0 however small tau is (a fixed
   * shift by 1/tau gave log(0) = -inf below tau ~ 0.02 when the row's logits sat far below 1/tau).
   * The shift is a constant for the gradient (stop-gradient), which leaves it exact.
   */
  private static Operand<TFloat32> maskedLogSumExp(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> keep, Operand<TFloat32> below) {
    Operand<TFloat32> candidates =
        tf.math.sub(logits, tf.math.mul(tf.math.sub(tf.constant(1f), keep), below));
    Operand<TFloat32> rowMax =
        tf.stopGradient(tf.reduceMax(candidates, tf.constant(1), ReduceMax.keepDims(true)));
    // exp of the pushed-down candidates: a removed logit far above the kept ones must not
    // overflow to inf (inf * 0 = NaN); kept candidates are the logits themselves.
    Operand<TFloat32> shifted = tf.math.exp(tf.math.sub(candidates, rowMax));
    Operand<TFloat32> sum = tf.reduceSum(tf.math.mul(shifted, keep), tf.constant(1));
    return tf.math.add(tf.math.log(sum), tf.reshape(rowMax, tf.constant(new int[] {-1})));
  }

  private static Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> v) {
    Operand<TFloat32> squaredNorm =
        tf.reduceSum(tf.math.mul(v, v), tf.constant(1), ReduceSum.keepDims(true));
    return tf.math.mul(v, tf.math.rsqrt(tf.math.add(squaredNorm, tf.constant(NORM_EPSILON))));
  }

  private static Operand<TFloat32> rowSum(Ops tf, Operand<TFloat32> m) {
    return tf.reduceSum(m, tf.constant(1));
  }

  private static Operand<TFloat32> meanOfRows(Ops tf, Operand<TFloat32> perRow) {
    return tf.math.mean(perRow, tf.constant(0));
  }
}
