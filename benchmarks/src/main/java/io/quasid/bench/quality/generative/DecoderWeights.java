package io.quasid.bench.quality.generative;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The variables of the decoder, with seeded initial values drawn in Java (so a seed gives the same
 * weights everywhere): matrices and embeddings N(0, 0.02) as in GPT-2, biases 0, norm gains 1.
 */
final class DecoderWeights {

  private static final double INIT_STD = 0.02;

  /** One pre-norm block: attention (no q/k/v biases) then a ReLU feed-forward layer. */
  record Block(
      Variable<TFloat32> attentionNormGain,
      Variable<TFloat32> attentionNormBias,
      Variable<TFloat32> query,
      Variable<TFloat32> key,
      Variable<TFloat32> value,
      Variable<TFloat32> attentionOut,
      Variable<TFloat32> attentionOutBias,
      Variable<TFloat32> ffnNormGain,
      Variable<TFloat32> ffnNormBias,
      Variable<TFloat32> ffnIn,
      Variable<TFloat32> ffnInBias,
      Variable<TFloat32> ffnOut,
      Variable<TFloat32> ffnOutBias) {}

  final Variable<TFloat32> tokenEmbedding;
  final Variable<TFloat32> positionEmbedding;
  final List<Block> blocks = new ArrayList<>();
  final Variable<TFloat32> finalNormGain;
  final Variable<TFloat32> finalNormBias;
  final Variable<TFloat32> output;
  final Variable<TFloat32> outputBias;
  private final List<Variable<TFloat32>> all = new ArrayList<>();
  private long parameterCount;
  private final SplittableRandom random;
  private final Ops tf;

  DecoderWeights(Ops tf, GenerativeConfig config, int vocabulary, int maxPositions, long seed) {
    this.tf = tf;
    this.random = new SplittableRandom(seed);
    int d = config.dim();
    tokenEmbedding = normal("token_embedding", vocabulary, d);
    positionEmbedding = normal("position_embedding", maxPositions, d);
    for (int l = 0; l < config.layers(); l++) {
      String p = "block" + l + "_";
      blocks.add(
          new Block(
              constant(p + "attention_norm_gain", d, 1f),
              constant(p + "attention_norm_bias", d, 0f),
              normal(p + "query", d, d),
              normal(p + "key", d, d),
              normal(p + "value", d, d),
              normal(p + "attention_out", d, d),
              constant(p + "attention_out_bias", d, 0f),
              constant(p + "ffn_norm_gain", d, 1f),
              constant(p + "ffn_norm_bias", d, 0f),
              normal(p + "ffn_in", d, config.ffnDim()),
              constant(p + "ffn_in_bias", config.ffnDim(), 0f),
              normal(p + "ffn_out", config.ffnDim(), d),
              constant(p + "ffn_out_bias", d, 0f)));
    }
    finalNormGain = constant("final_norm_gain", d, 1f);
    finalNormBias = constant("final_norm_bias", d, 0f);
    output = normal("output", d, vocabulary);
    outputBias = constant("output_bias", vocabulary, 0f);
  }

  /** Every trainable variable, in creation order. */
  List<Variable<TFloat32>> all() {
    return all;
  }

  long parameterCount() {
    return parameterCount;
  }

  private Variable<TFloat32> normal(String name, int rows, int cols) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (INIT_STD * random.nextGaussian());
    }
    return variable(name, Shape.of(rows, cols), v);
  }

  private Variable<TFloat32> constant(String name, int size, float value) {
    float[] v = new float[size];
    java.util.Arrays.fill(v, value);
    return variable(name, Shape.of(size), v);
  }

  private Variable<TFloat32> variable(String name, Shape shape, float[] values) {
    Variable<TFloat32> v =
        tf.withName(name).variable(tf.constant(shape, DataBuffers.of(values, true, false)));
    all.add(v);
    parameterCount += values.length;
    return v;
  }
}
