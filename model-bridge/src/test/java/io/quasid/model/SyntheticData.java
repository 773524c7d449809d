package io.quasid.model;

import java.util.SplittableRandom;

/**
 * Seeded clustered vectors for model tests: items scattered around a few random centres, scaled to
 * about unit norm like text embeddings ({@code spread} is the noise-to-centre ratio).
 */
final class SyntheticData {

  private SyntheticData() {}

  static float[][] clustered(int items, int clusters, int dim, float spread, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double scale = 1 / Math.sqrt(dim);
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int d = 0; d < dim; d++) {
        c[d] = (float) (scale * random.nextGaussian());
      }
    }
    float[][] x = new float[items][dim];
    for (int i = 0; i < items; i++) {
      float[] c = centres[i % clusters];
      for (int d = 0; d < dim; d++) {
        x[i][d] = c[d] + (float) (spread * scale * random.nextGaussian());
      }
    }
    return x;
  }

  static long[] ids(int n) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return ids;
  }

  /** Pairs each even row with the next row of the same cluster (rows i and i + clusters). */
  static int[][] sameClusterPairs(int items, int clusters) {
    int count = (items - clusters) / 2;
    int[][] pairs = new int[count][];
    for (int b = 0; b < count; b++) {
      pairs[b] = new int[] {2 * b, 2 * b + clusters};
    }
    return pairs;
  }
}
