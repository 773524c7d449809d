package io.quasid.model;

import java.util.Arrays;

/**
 * The relabelling of one version's codes that agrees best with another's, per level (Hungarian
 * matching of the levels' codes on the items both encode). A residual quantizer's codes are labels:
 * permuting a level's codebook rows changes no residual, no reconstruction and no deeper level,
 * only the numbers. So churn measured after this relabelling is the items that really moved, and
 * the rest was label switching.
 */
public final class CodeRelabelling {

  private CodeRelabelling() {}

  /**
   * Per level, {@code map[l][c]}: the label that code {@code c} of {@code candidate} gets so that
   * as many items as possible keep their {@code live} code at that level.
   *
   * @param live codes of items under the live version ({@code [n][levels]}, rows may be null)
   * @param candidate codes of the same items under the candidate (null rows skipped)
   */
  public static int[][] matching(int[][] live, int[][] candidate, int codebookSize) {
    int levels = 0;
    for (int[] row : candidate) {
      if (row != null) {
        levels = row.length;
        break;
      }
    }
    int[][] map = new int[levels][];
    for (int l = 0; l < levels; l++) {
      long[][] agree = new long[codebookSize][codebookSize];
      for (int i = 0; i < live.length; i++) {
        if (live[i] != null && candidate[i] != null) {
          agree[candidate[i][l]][live[i][l]]++;
        }
      }
      map[l] = maximumMatching(agree);
    }
    return map;
  }

  /** {@code codes} with every level's labels mapped by {@code map}. */
  public static int[][] apply(int[][] codes, int[][] map) {
    int[][] out = new int[codes.length][];
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] != null) {
        out[i] = new int[codes[i].length];
        for (int l = 0; l < out[i].length; l++) {
          out[i][l] = map[l][codes[i][l]];
        }
      }
    }
    return out;
  }

  /**
   * The permutation {@code p} maximising {@code sum_c weight[c][p[c]]} (Hungarian algorithm with
   * potentials, O(n^3)).
   */
  static int[] maximumMatching(long[][] weight) {
    int n = weight.length;
    long max = 0;
    for (long[] row : weight) {
      for (long w : row) {
        max = Math.max(max, w);
      }
    }
    // Minimise cost = max - weight; rows and columns 1-based, as in the textbook formulation.
    long[] u = new long[n + 1];
    long[] v = new long[n + 1];
    int[] matchOfColumn = new int[n + 1];
    int[] way = new int[n + 1];
    for (int row = 1; row <= n; row++) {
      matchOfColumn[0] = row;
      int column = 0;
      long[] minv = new long[n + 1];
      Arrays.fill(minv, Long.MAX_VALUE);
      boolean[] used = new boolean[n + 1];
      do {
        used[column] = true;
        int r = matchOfColumn[column];
        long delta = Long.MAX_VALUE;
        int next = 0;
        for (int j = 1; j <= n; j++) {
          if (!used[j]) {
            long cur = (max - weight[r - 1][j - 1]) - u[r] - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = column;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              next = j;
            }
          }
        }
        for (int j = 0; j <= n; j++) {
          if (used[j]) {
            u[matchOfColumn[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        column = next;
      } while (matchOfColumn[column] != 0);
      do {
        int previous = way[column];
        matchOfColumn[column] = matchOfColumn[previous];
        column = previous;
      } while (column != 0);
    }
    int[] permutation = new int[n];
    for (int j = 1; j <= n; j++) {
      permutation[matchOfColumn[j] - 1] = j - 1;
    }
    return permutation;
  }
}
