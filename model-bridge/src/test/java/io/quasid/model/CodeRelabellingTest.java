package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodeRelabellingTest {

  @Test
  void aPurePermutationOfLabelsIsUndoneExactly() {
    Random random = new Random(3);
    int k = 16;
    int[][] live = new int[500][];
    for (int i = 0; i < live.length; i++) {
      live[i] = new int[] {random.nextInt(k), random.nextInt(k)};
    }
    List<Integer> shuffled = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      shuffled.add(c);
    }
    Collections.shuffle(shuffled, random);
    int[][] relabelled = new int[live.length][];
    for (int i = 0; i < live.length; i++) {
      relabelled[i] = new int[] {shuffled.get(live[i][0]), live[i][1]};
    }

    int[][] map = CodeRelabelling.matching(live, relabelled, k);

    assertThat(CodeRelabelling.apply(relabelled, map)).isDeepEqualTo(live);
  }

  @Test
  void theMatchingIsOptimalOnSmallCases() {
    Random random = new Random(11);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(5);
      long[][] w = new long[n][n];
      for (long[] row : w) {
        for (int j = 0; j < n; j++) {
          row[j] = random.nextInt(20);
        }
      }
      int[] p = CodeRelabelling.maximumMatching(w);
      assertThat(score(w, p)).isEqualTo(bestByBruteForce(w, new int[n], new boolean[n], 0));
      assertThat(p).doesNotHaveDuplicates();
    }
  }

  private static long score(long[][] w, int[] p) {
    long s = 0;
    for (int i = 0; i < p.length; i++) {
      s += w[i][p[i]];
    }
    return s;
  }

  private static long bestByBruteForce(long[][] w, int[] p, boolean[] used, int row) {
    if (row == p.length) {
      return score(w, p);
    }
    long best = Long.MIN_VALUE;
    for (int j = 0; j < p.length; j++) {
      if (!used[j]) {
        used[j] = true;
        p[row] = j;
        best = Math.max(best, bestByBruteForce(w, p, used, row + 1));
        used[j] = false;
      }
    }
    return best;
  }
}
