package io.quasid.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded initial values, drawn in Java so that the same seed gives bit-identical weights on every
 * platform and device: Glorot-uniform weights, zero biases, small Gaussian codebooks (used until
 * k-means replaces them).
 */
final class InitialWeights {

  private static final float CODEBOOK_SCALE = 0.1f;

  private InitialWeights() {}

  static Map<String, float[]> generate(QuasidGraph graph, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, float[]> values = new LinkedHashMap<>();
    List<String> names = graph.trainableNames();
    for (String name : names) {
      long[] shape = graph.shape(name);
      float[] v = new float[Math.toIntExact(shape.length == 1 ? shape[0] : shape[0] * shape[1])];
      if (name.startsWith("codebook_")) {
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (CODEBOOK_SCALE * random.nextGaussian());
        }
      } else if (shape.length == 2) {
        double limit = Math.sqrt(6.0 / (shape[0] + shape[1]));
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) ((2 * random.nextDouble() - 1) * limit);
        }
      }
      values.put(name, v);
    }
    return values;
  }
}
