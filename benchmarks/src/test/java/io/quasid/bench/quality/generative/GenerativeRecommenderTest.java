package io.quasid.bench.quality.generative;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GenerativeRecommenderTest {

  private static final int ITEMS = 30;

  /** Item i's successor: a fixed permutation of the catalogue. */
  private static int next(int item) {
    return (7 * item + 3) % ITEMS;
  }

  /** Two levels of 8 codes: (i mod 6, i div 6), so no two items share a code tuple. */
  private static int[][] codes() {
    int[][] codes = new int[ITEMS][];
    for (int i = 0; i < ITEMS; i++) {
      codes[i] = new int[] {i % 6, i / 6};
    }
    return codes;
  }

  /** Chains of successors from random starts, 3 to 8 items long. */
  private static int[][] chains(int users, Random random) {
    int[][] sequences = new int[users][];
    for (int u = 0; u < users; u++) {
      int[] s = new int[3 + random.nextInt(6)];
      s[0] = random.nextInt(ITEMS);
      for (int t = 1; t < s.length; t++) {
        s[t] = next(s[t - 1]);
      }
      sequences[u] = s;
    }
    return sequences;
  }

  @Test
  void learnsADeterministicSuccessorFromTheSidTokens() {
    GenerativeConfig config = GenerativeConfig.standard(5, 16, 12, 1e-3, 10, 0);
    Random random = new Random(1);
    int[][] train = chains(300, random);
    int[][] heldOut = chains(100, random);
    try (GenerativeRecommender model = new GenerativeRecommender(codes(), 8, config, 7)) {
      TrainingWindows windows = model.windows(train);
      for (int e = 0; e < config.epochs(); e++) {
        model.trainEpoch(windows, random);
      }

      List<RankedItems> ranked = model.recommend(heldOut);

      int hits = 0;
      for (int u = 0; u < heldOut.length; u++) {
        int target = next(heldOut[u][heldOut[u].length - 1]);
        hits += ranked.get(u).items()[0] == target ? 1 : 0;
      }
      assertThat(hits / (double) heldOut.length).as("Recall@1").isGreaterThan(0.9);
    }
  }

  @Test
  void anUntrainedModelStillRecommendsOnlyDistinctCatalogueItems() {
    Random random = new Random(8);
    int items = 400;
    int[][] codes = new int[items][];
    for (int i = 0; i < items; i++) {
      // Three levels of 4 codes: 64 tuples for 400 items, so most items need a dedup token.
      codes[i] = new int[] {random.nextInt(4), random.nextInt(4), random.nextInt(4)};
    }
    int[][] histories = new int[37][];
    for (int u = 0; u < histories.length; u++) {
      histories[u] = random.ints(random.nextInt(9), 0, items).toArray();
    }
    GenerativeConfig config =
        new GenerativeConfig(128, 2, 4, 512, 6, 8, 1, 1e-3, 12, 10, 0, 16, 1, 1);
    try (GenerativeRecommender model = new GenerativeRecommender(codes, 4, config, 2)) {
      List<RankedItems> ranked = model.recommend(histories);

      assertThat(ranked).hasSize(histories.length);
      for (RankedItems r : ranked) {
        assertThat(r.items()).hasSize(10).doesNotHaveDuplicates();
        assertThat(Arrays.stream(r.items()).boxed().toList())
            .allSatisfy(i -> assertThat(i).isBetween(0, items - 1));
        assertThat(r.scores()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
      }
    }
  }
}
