package io.quasid.bench.streaming;

import java.util.SplittableRandom;

/**
 * A synthetic catalogue that never needs to be held in memory: item {@code i} belongs to cluster
 * {@code i % clusters} and its vector is that cluster's centre plus Gaussian noise drawn from a
 * generator seeded by {@code (seed, i)}, so any item can be regenerated on its own. Interactions
 * are sessions of users who each stay within one cluster (co-engaged items are similar, as in real
 * catalogues).
 */
public final class SyntheticCatalogue {

  public static final int CLUSTERS = 64;
  private static final double NOISE = 0.3;

  private final int dim;
  private final long seed;
  private final float[][] centres;

  public SyntheticCatalogue(int dim, long seed) {
    this.dim = dim;
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    double scale = 1 / Math.sqrt(dim);
    centres = new float[CLUSTERS][dim];
    for (float[] c : centres) {
      for (int d = 0; d < dim; d++) {
        c[d] = (float) (scale * random.nextGaussian());
      }
    }
  }

  public int dim() {
    return dim;
  }

  /** The id of catalogue item {@code i} under {@code prefix}, e.g. {@code item-0000042}. */
  public static String itemId(String prefix, long i) {
    return prefix + String.format("%07d", i);
  }

  /** The vector of item {@code i}: the same for the same seed, dimension and index. */
  public float[] vector(long i) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    float[] centre = centres[(int) Math.floorMod(i, (long) CLUSTERS)];
    double scale = NOISE / Math.sqrt(dim);
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = centre[d] + (float) (scale * random.nextGaussian());
    }
    return v;
  }

  /** Every {@code (items / n)}-th item's vector: a spread sample, e.g. for k-means. */
  public float[][] sample(long items, int n) {
    int size = (int) Math.min(items, n);
    float[][] out = new float[size][];
    for (int k = 0; k < size; k++) {
      out[k] = vector(k * (items / size));
    }
    return out;
  }

  /**
   * The item of interaction {@code k} of user {@code user}: a random item of the user's cluster
   * among the first {@code items}.
   */
  public static long interactionItem(long user, int k, long items, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ (user * 0x632BE59BD9B4E019L) + k);
    long cluster = Math.floorMod(user, (long) CLUSTERS);
    long perCluster = Math.max(1, (items - cluster + CLUSTERS - 1) / CLUSTERS);
    return cluster + CLUSTERS * random.nextLong(perCluster);
  }
}
