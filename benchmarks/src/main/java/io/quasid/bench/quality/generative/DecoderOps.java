package io.quasid.bench.quality.generative;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The transformer's pieces as pure functions of {@code (Ops tf, inputs...)}. Activations are kept
 * flat, {@code [rows * length, d]}, between blocks; attention reshapes to {@code [rows, heads,
 * length, d / heads]}.
 */
final class DecoderOps {

  private static final float LAYER_NORM_EPSILON = 1e-5f;

  /** Added to the logit of a key a query must not see. */
  static final float MASKED = -1e9f;

  private DecoderOps() {}

  /** Layer normalisation over the last axis of {@code [m, d]}. */
  static Operand<TFloat32> layerNorm(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> gain, Operand<TFloat32> bias) {
    Operand<TInt32> last = tf.constant(-1);
    Operand<TFloat32> mean = tf.math.mean(x, last, Mean.keepDims(true));
    Operand<TFloat32> centred = tf.math.sub(x, mean);
    // mul, not square: the project's pitfall list (square's gradient crashes on some inputs).
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.mul(centred, centred), last, Mean.keepDims(true));
    Operand<TFloat32> normed =
        tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(LAYER_NORM_EPSILON))));
    return tf.math.add(tf.math.mul(normed, gain), bias);
  }

  /** {@code relu(x W1 + b1) W2 + b2} on {@code [m, d]}. */
  static Operand<TFloat32> feedForward(Ops tf, Operand<TFloat32> x, DecoderWeights.Block w) {
    Operand<TFloat32> hidden =
        tf.nn.relu(tf.math.add(tf.linalg.matMul(x, w.ffnIn()), w.ffnInBias()));
    return tf.math.add(tf.linalg.matMul(hidden, w.ffnOut()), w.ffnOutBias());
  }

  /** {@code [rows * length, d]} to {@code [rows, heads, length, d / heads]}. */
  static Operand<TFloat32> splitHeads(
      Ops tf, Operand<TFloat32> x, Operand<TInt32> rows, Operand<TInt32> length, int heads, int d) {
    Operand<TInt32> shape =
        tf.stack(List.of(rows, length, tf.constant(heads), tf.constant(d / heads)));
    return tf.linalg.transpose(tf.reshape(x, shape), tf.constant(new int[] {0, 2, 1, 3}));
  }

  /** {@code [rows, heads, length, d / heads]} back to {@code [rows * length, d]}. */
  static Operand<TFloat32> mergeHeads(Ops tf, Operand<TFloat32> x, int d) {
    return tf.reshape(
        tf.linalg.transpose(x, tf.constant(new int[] {0, 2, 1, 3})),
        tf.constant(new int[] {-1, d}));
  }

  /** {@code a b^T}, batched over the leading axes. */
  static Operand<TFloat32> scores(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b, int headDim) {
    return tf.math.mul(
        tf.train.batchMatMul(a, b, TFloat32.class, BatchMatMul.adjY(true)),
        tf.constant((float) (1 / Math.sqrt(headDim))));
  }

  static Operand<TFloat32> weighted(Ops tf, Operand<TFloat32> weights, Operand<TFloat32> values) {
    return tf.train.batchMatMul(weights, values, TFloat32.class);
  }

  /** {@code [length, length]}: 0 where key j <= query i, {@link #MASKED} after it. */
  static Operand<TFloat32> causalMask(Ops tf, Operand<TInt32> length) {
    Operand<TInt32> range = tf.range(tf.constant(0), length, tf.constant(1));
    Operand<TInt32> queries = tf.expandDims(range, tf.constant(1));
    Operand<TInt32> keys = tf.expandDims(range, tf.constant(0));
    return tf.math.mul(
        tf.dtypes.cast(tf.math.greater(keys, queries), TFloat32.class), tf.constant(MASKED));
  }

  /**
   * {@code [rows, 1, 1, keys]}: 0 for the first {@code lengths[r]} keys of row r, {@link #MASKED}
   * for the padding after them.
   */
  static Operand<TFloat32> paddingMask(Ops tf, Operand<TInt32> lengths, Operand<TInt32> keys) {
    Operand<TInt32> range =
        tf.expandDims(tf.range(tf.constant(0), keys, tf.constant(1)), tf.constant(0));
    Operand<TFloat32> padding =
        tf.dtypes.cast(
            tf.math.greaterEqual(range, tf.expandDims(lengths, tf.constant(1))), TFloat32.class);
    Operand<TFloat32> mask = tf.math.mul(padding, tf.constant(MASKED));
    return tf.expandDims(tf.expandDims(mask, tf.constant(1)), tf.constant(1));
  }

  /** Mean softmax cross-entropy of {@code logits [n, vocabulary]} against token ids. */
  static Operand<TFloat32> crossEntropy(
      Ops tf, Operand<TFloat32> logits, Operand<TInt32> targets, int vocabulary) {
    // Dense labels: SparseSoftmaxCrossEntropyWithLogits has no registered gradient in TF Java.
    Operand<TFloat32> labels =
        tf.oneHot(targets, tf.constant(vocabulary), tf.constant(1f), tf.constant(0f));
    return tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss(), tf.constant(0));
  }
}
