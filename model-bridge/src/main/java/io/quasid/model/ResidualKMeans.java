package io.quasid.model;

import java.util.SplittableRandom;

/**
 * Seeded k-means codebook initialisation, level by level on the residuals of the previous levels:
 * random initial codebooks make an RQ-VAE diverge or collapse onto a few codes.
 */
public final class ResidualKMeans {

  private ResidualKMeans() {}

  /**
   * Returns {@code [levels][k][dim]} codebooks for the latent points {@code z[n][dim]}. k-means++
   * seeding then {@code iterations} Lloyd steps per level.
   *
   * <p>Give it more points than codes. With {@code n <= k} a level that fitted one centroid per
   * point would leave every residual at zero and all deeper levels as noise; instead each level
   * fits {@link #fittedCentroids ceil(n / 2)} centroids, so the next level still sees residuals,
   * and the spare codes are copies of those centroids with a small jitter (dead-code re-seeding
   * moves them later).
   */
  public static float[][][] fit(float[][] z, int levels, int k, int iterations, long seed) {
    if (z.length == 0) {
      throw new IllegalArgumentException("k-means needs at least one point");
    }
    SplittableRandom random = new SplittableRandom(seed);
    float[][] residual = copy(z);
    float[][][] codebooks = new float[levels][][];
    for (int l = 0; l < levels; l++) {
      float[][] centroids = fitLevel(residual, k, iterations, random);
      codebooks[l] = centroids;
      for (float[] r : residual) {
        float[] c = centroids[nearest(r, centroids)];
        for (int d = 0; d < r.length; d++) {
          r[d] -= c[d];
        }
      }
    }
    return codebooks;
  }

  /**
   * Index of the centroid closest to {@code point} in squared Euclidean distance (first on ties).
   */
  public static int nearest(float[] point, float[][] centroids) {
    int best = 0;
    double bestDist = Double.MAX_VALUE;
    for (int c = 0; c < centroids.length; c++) {
      double d = squaredDistance(point, centroids[c]);
      if (d < bestDist) {
        bestDist = d;
        best = c;
      }
    }
    return best;
  }

  /** Centroids actually fitted per level for {@code n} points and {@code k} codes. */
  public static int fittedCentroids(int n, int k) {
    return n > k ? k : Math.max(1, (n + 1) / 2);
  }

  private static float[][] fitLevel(float[][] x, int k, int iterations, SplittableRandom random) {
    int fitted = fittedCentroids(x.length, k);
    float[][] centroids = seedCentroids(x, fitted, random);
    int[] assignment = new int[x.length];
    for (int it = 0; it < iterations; it++) {
      for (int i = 0; i < x.length; i++) {
        assignment[i] = nearest(x[i], centroids);
      }
      centroids = means(x, assignment, centroids, random);
    }
    return fitted == k ? centroids : withSpares(centroids, k, x, random);
  }

  /** The fitted centroids followed by jittered copies of them up to {@code k} codes. */
  private static float[][] withSpares(
      float[][] fitted, int k, float[][] x, SplittableRandom random) {
    int dim = fitted[0].length;
    float scale = 1e-3f * Math.max(maxAbs(x), 1e-3f);
    float[][] centroids = new float[k][];
    for (int c = 0; c < k; c++) {
      centroids[c] = fitted[c % fitted.length].clone();
      if (c >= fitted.length) {
        for (int d = 0; d < dim; d++) {
          centroids[c][d] += (float) (scale * random.nextGaussian());
        }
      }
    }
    return centroids;
  }

  /** k-means++ seeding of {@code k <= x.length} centroids. */
  private static float[][] seedCentroids(float[][] x, int k, SplittableRandom random) {
    float[][] centroids = new float[k][];
    centroids[0] = x[random.nextInt(x.length)].clone();
    double[] dist = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      dist[i] = squaredDistance(x[i], centroids[0]);
    }
    for (int c = 1; c < k; c++) {
      double total = 0;
      for (double d : dist) {
        total += d;
      }
      int pick = total > 0 ? sample(dist, total * random.nextDouble()) : random.nextInt(x.length);
      centroids[c] = x[pick].clone();
      for (int i = 0; i < x.length; i++) {
        dist[i] = Math.min(dist[i], squaredDistance(x[i], centroids[c]));
      }
    }
    return centroids;
  }

  private static int sample(double[] weights, double target) {
    double acc = 0;
    for (int i = 0; i < weights.length; i++) {
      acc += weights[i];
      if (acc >= target && weights[i] > 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static float[][] means(
      float[][] x, int[] assignment, float[][] previous, SplittableRandom random) {
    int k = previous.length;
    int dim = x[0].length;
    double[][] sums = new double[k][dim];
    int[] counts = new int[k];
    for (int i = 0; i < x.length; i++) {
      counts[assignment[i]]++;
      for (int d = 0; d < dim; d++) {
        sums[assignment[i]][d] += x[i][d];
      }
    }
    float[][] next = new float[k][dim];
    for (int c = 0; c < k; c++) {
      if (counts[c] == 0) {
        // An empty cluster is re-seeded on a random point so that every code stays usable.
        next[c] = x[random.nextInt(x.length)].clone();
        continue;
      }
      for (int d = 0; d < dim; d++) {
        next[c][d] = (float) (sums[c][d] / counts[c]);
      }
    }
    return next;
  }

  private static double squaredDistance(float[] a, float[] b) {
    double s = 0;
    for (int d = 0; d < a.length; d++) {
      double diff = a[d] - b[d];
      s += diff * diff;
    }
    return s;
  }

  private static float maxAbs(float[][] x) {
    float m = 0;
    for (float[] row : x) {
      for (float v : row) {
        m = Math.max(m, Math.abs(v));
      }
    }
    return m;
  }

  private static float[][] copy(float[][] x) {
    float[][] out = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].clone();
    }
    return out;
  }
}
