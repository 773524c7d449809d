package io.quasid.model;

import java.util.HashSet;
import java.util.Set;

/**
 * Conflict-aware valid-pair masking and Hamming tiers, computed in Java from the codes of a forward
 * pass and fed to the graph as placeholders (they are not differentiable anyway).
 *
 * <p>With {@code masking} on, rows i and j form a qualified pair when they are different items and
 * not a collaborative positive pair of the batch (either direction, by item id): the method's valid
 * pair mask. Two optional extensions, both off by default, also drop pairs in the same product
 * group ({@code maskSameGroup}; on Beauty nearly every real conflict pair shares its group, so it
 * leaves the repulsion almost nothing) and near-duplicates ({@code maskNearDuplicates}). With
 * {@code masking} off every pair of distinct rows qualifies, even two rows of the same item: that
 * is the "repulsion without masking" ablation.
 */
public final class PairMasks {

  private PairMasks() {}

  /** Symmetric {@code [n][n]} mask of qualified pairs; the diagonal is always false. */
  public static boolean[][] validPairs(TrainBatch batch, QuasidConfig config) {
    int n = batch.size();
    boolean[][] valid = new boolean[n][n];
    Set<ItemPair> positives = positiveItemPairs(batch);
    float[] norms =
        config.masking() && config.maskNearDuplicates() ? rowNorms(batch.vectors()) : null;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        boolean ok = !config.masking() || qualified(batch, config, positives, norms, i, j);
        valid[i][j] = ok;
        valid[j][i] = ok;
      }
    }
    return valid;
  }

  /** {@code H[i][j]} = number of levels where the codes of rows i and j differ. */
  public static int[][] hamming(int[][] codes) {
    int n = codes.length;
    int[][] h = new int[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        int d = 0;
        for (int l = 0; l < codes[i].length; l++) {
          if (codes[i][l] != codes[j][l]) {
            d++;
          }
        }
        h[i][j] = d;
        h[j][i] = d;
      }
    }
    return h;
  }

  /** Splits the qualified pairs {@code i < j} into the full (H = 0) and partial tier. */
  public static CollisionTiers tiers(boolean[][] valid, int[][] codes, int partialRadius) {
    return tiers(valid, codes, partialRadius, false);
  }

  /**
   * As {@link #tiers(boolean[][], int[][], int)}; with {@code byHamming} the partial tier is also
   * returned split into one mask per H in {@code [1, partialRadius]}.
   */
  public static CollisionTiers tiers(
      boolean[][] valid, int[][] codes, int partialRadius, boolean byHamming) {
    int n = codes.length;
    int[][] h = hamming(codes);
    float[][] full = new float[n][n];
    float[][] partial = new float[n][n];
    float[][][] perH = byHamming ? new float[partialRadius][n][n] : null;
    long[] perHPairs = new long[partialRadius];
    long fullPairs = 0;
    long partialPairs = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (!valid[i][j]) {
          continue;
        }
        if (h[i][j] == 0) {
          full[i][j] = 1f;
          fullPairs++;
        } else if (h[i][j] <= partialRadius) {
          partial[i][j] = 1f;
          partialPairs++;
          perHPairs[h[i][j] - 1]++;
          if (perH != null) {
            perH[h[i][j] - 1][i][j] = 1f;
          }
        }
      }
    }
    return new CollisionTiers(full, partial, fullPairs, partialPairs, perHPairs, perH);
  }

  private static boolean qualified(
      TrainBatch batch, QuasidConfig config, Set<ItemPair> positives, float[] norms, int i, int j) {
    long a = batch.itemIds()[i];
    long b = batch.itemIds()[j];
    if (a == b || positives.contains(ItemPair.of(a, b))) {
      return false;
    }
    int[] groups = batch.groupIds();
    if (config.maskSameGroup() && groups != null && groups[i] >= 0 && groups[i] == groups[j]) {
      return false;
    }
    return norms == null || cosine(batch.vectors(), norms, i, j) <= config.nearDuplicateCosine();
  }

  static Set<ItemPair> positiveItemPairs(TrainBatch batch) {
    Set<ItemPair> pairs = new HashSet<>();
    for (int[] p : batch.positivePairs()) {
      pairs.add(ItemPair.of(batch.itemIds()[p[0]], batch.itemIds()[p[1]]));
    }
    return pairs;
  }

  private static float[] rowNorms(float[][] x) {
    float[] norms = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      double s = 0;
      for (float v : x[i]) {
        s += (double) v * v;
      }
      norms[i] = (float) Math.sqrt(s);
    }
    return norms;
  }

  private static float cosine(float[][] x, float[] norms, int i, int j) {
    double dot = 0;
    for (int k = 0; k < x[i].length; k++) {
      dot += (double) x[i][k] * x[j][k];
    }
    double denom = (double) norms[i] * norms[j];
    return denom == 0 ? 0f : (float) (dot / denom);
  }

  /** Unordered pair of item ids. */
  record ItemPair(long low, long high) {
    static ItemPair of(long a, long b) {
      return new ItemPair(Math.min(a, b), Math.max(a, b));
    }
  }
}
