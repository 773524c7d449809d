package io.quasid.bench.streaming;

import io.quasid.bench.quality.CodeTuple;
import io.quasid.model.CodeRelabelling;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The catalogue-growth benchmark's pure measures over item codes. Code arrays are indexed by item;
 * a row may be null for an item that is not live (not arrived yet).
 */
public final class GrowthMetrics {

  private GrowthMetrics() {}

  /**
   * Co-engagement coherence: the share of pairs {@code (pairs[i][0], pairs[i][1])} whose codes
   * agree on their first {@code levels} levels, over the pairs whose two items are distinct and
   * both {@code counted}. NaN when no pair counts.
   */
  public static double coherence(int[][] codes, int[][] pairs, boolean[] counted, int levels) {
    long total = 0;
    long shared = 0;
    for (int[] p : pairs) {
      int a = p[0];
      int b = p[1];
      if (a == b || !counted[a] || !counted[b]) {
        continue;
      }
      total++;
      if (Arrays.equals(codes[a], 0, levels, codes[b], 0, levels)) {
        shared++;
      }
    }
    return total == 0 ? Double.NaN : (double) shared / total;
  }

  /** Pairs that {@link #coherence} counts. */
  public static int countedPairs(int[][] pairs, boolean[] counted) {
    int n = 0;
    for (int[] p : pairs) {
      if (p[0] != p[1] && counted[p[0]] && counted[p[1]]) {
        n++;
      }
    }
    return n;
  }

  /** {@code count} pairs of two distinct items drawn uniformly from {@code live} (seeded). */
  public static int[][] randomPairs(boolean[] live, int count, long seed) {
    int[] pool = indices(live);
    if (pool.length < 2) {
      return new int[0][];
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[][] pairs = new int[count][];
    for (int i = 0; i < count; i++) {
      int a = pool[random.nextInt(pool.length)];
      int b;
      do {
        b = pool[random.nextInt(pool.length)];
      } while (b == a);
      pairs[i] = new int[] {a, b};
    }
    return pairs;
  }

  /**
   * Share of the items in {@code among} whose code tuple is shared with at least one other live
   * item (non-null row); NaN when {@code among} holds no live item.
   */
  public static double collidingShare(int[][] codes, boolean[] among) {
    Map<CodeTuple, Integer> buckets = new HashMap<>();
    for (int[] c : codes) {
      if (c != null) {
        buckets.merge(new CodeTuple(c), 1, Integer::sum);
      }
    }
    long total = 0;
    long colliding = 0;
    for (int i = 0; i < codes.length; i++) {
      if (among[i] && codes[i] != null) {
        total++;
        if (buckets.get(new CodeTuple(codes[i])) > 1) {
          colliding++;
        }
      }
    }
    return total == 0 ? Double.NaN : (double) colliding / total;
  }

  /**
   * Churn of one version: the share of the {@code among} items (live under both versions) whose
   * code tuple differs between {@code before} and {@code after}; 0 when there are none.
   */
  public static double churn(int[][] before, int[][] after, boolean[] among) {
    return churn(before, after, among, Integer.MAX_VALUE);
  }

  /** As {@link #churn(int[][], int[][], boolean[])}, on the first {@code levels} codes only. */
  public static double churn(int[][] before, int[][] after, boolean[] among, int levels) {
    long total = 0;
    long changed = 0;
    for (int i = 0; i < among.length; i++) {
      if (among[i] && before[i] != null && after[i] != null) {
        total++;
        int b = Math.min(levels, before[i].length);
        int a = Math.min(levels, after[i].length);
        if (!Arrays.equals(before[i], 0, b, after[i], 0, a)) {
          changed++;
        }
      }
    }
    return total == 0 ? 0 : (double) changed / total;
  }

  /**
   * As {@link #churn(int[][], int[][], boolean[])}, after each level of {@code after} was
   * relabelled to agree best with {@code before} ({@link CodeRelabelling}): movement, not label
   * switching.
   */
  public static double relabelledChurn(
      int[][] before, int[][] after, boolean[] among, int codebookSize) {
    int[][] relabelled =
        CodeRelabelling.apply(after, CodeRelabelling.matching(before, after, codebookSize));
    return churn(before, relabelled, among);
  }

  /** The live rows of {@code codes}, in item order, for {@code SidMetrics}. */
  public static int[][] liveRows(int[][] codes) {
    return Arrays.stream(codes).filter(c -> c != null).toArray(int[][]::new);
  }

  static int[] indices(boolean[] mask) {
    int n = 0;
    for (boolean b : mask) {
      if (b) {
        n++;
      }
    }
    int[] out = new int[n];
    int at = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i]) {
        out[at++] = i;
      }
    }
    return out;
  }
}
