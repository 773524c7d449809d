package io.quasid.bench.quality.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BeamSearchTest {

  private static int[][] randomCodes(Random random, int items, int levels, int k) {
    int[][] codes = new int[items][levels];
    for (int[] row : codes) {
      for (int l = 0; l < levels; l++) {
        row[l] = random.nextInt(k);
      }
    }
    return codes;
  }

  /**
   * Logits that depend only on (user, prefix), drawn at random, with the largest values put on
   * tokens that do not continue any SID: an unconstrained decoder would emit those.
   */
  private static NextTokenLogits adversarial(SidVocabulary v, SidTrie trie, long seed) {
    Map<String, float[]> cache = new HashMap<>();
    return (users, prefixes) -> {
      float[][] out = new float[users.length][];
      for (int i = 0; i < users.length; i++) {
        String key = users[i] + ":" + Arrays.toString(prefixes[i]);
        out[i] =
            cache.computeIfAbsent(
                key,
                x -> {
                  Random r = new Random(seed ^ x.hashCode());
                  float[] logits = new float[v.size()];
                  for (int t = 0; t < logits.length; t++) {
                    logits[t] = (float) r.nextGaussian();
                  }
                  int node = trie.root();
                  for (int t : prefixesOf(x)) {
                    node = trie.child(node, t);
                  }
                  boolean[] valid = new boolean[v.size()];
                  for (int t : trie.nextTokens(node)) {
                    valid[t] = true;
                  }
                  for (int t = 0; t < logits.length; t++) {
                    if (!valid[t]) {
                      logits[t] += 100;
                    }
                  }
                  return logits;
                });
      }
      return out;
    };
  }

  private static int[] prefixesOf(String key) {
    String list = key.substring(key.indexOf(':') + 2, key.length() - 1);
    return list.isEmpty()
        ? new int[0]
        : Arrays.stream(list.split(", ")).mapToInt(Integer::parseInt).toArray();
  }

  @Test
  void neverEmitsAnInvalidSidAndNeverTheSameItemTwice() {
    Random random = new Random(11);
    for (int trial = 0; trial < 30; trial++) {
      int items = 1 + random.nextInt(300);
      int levels = 1 + random.nextInt(3);
      int[][] codes = randomCodes(random, items, levels, 2 + random.nextInt(8));
      SidVocabulary v = new SidVocabulary(codes, 10);
      SidTrie trie = new SidTrie(v);
      int beam = 10 + random.nextInt(20);
      int users = 1 + random.nextInt(5);

      List<RankedItems> ranked =
          new BeamSearch(trie, beam, 10).search(adversarial(v, trie, trial), users);

      assertThat(ranked).hasSize(users);
      for (RankedItems r : ranked) {
        assertThat(r.items()).hasSize(Math.min(10, items));
        assertThat(r.items()).doesNotHaveDuplicates();
        assertThat(Arrays.stream(r.items()).boxed().toList())
            .allSatisfy(i -> assertThat(i).isBetween(0, items - 1));
        for (int i = 1; i < r.scores().length; i++) {
          assertThat(r.scores()[i]).isLessThanOrEqualTo(r.scores()[i - 1]);
        }
        assertThat(Arrays.stream(r.scores()).boxed().toList())
            .allSatisfy(s -> assertThat(s).isNotPositive().isFinite());
      }
    }
  }

  @Test
  void aBeamAsWideAsTheCatalogueFindsTheExactTopK() {
    Random random = new Random(5);
    int[][] codes = randomCodes(random, 40, 2, 4);
    SidVocabulary v = new SidVocabulary(codes, 4);
    SidTrie trie = new SidTrie(v);
    NextTokenLogits model = adversarial(v, trie, 9);

    RankedItems ranked = new BeamSearch(trie, 40, 10).search(model, 1).get(0);

    // Every item's exact score: the sum over its tokens of the log-softmax over valid tokens.
    double[] exact = new double[codes.length];
    for (int item = 0; item < codes.length; item++) {
      int[] tokens = v.tokens(item);
      int node = trie.root();
      for (int p = 0; p < tokens.length; p++) {
        int[] next = trie.nextTokens(node);
        float[] logits = model.logits(new int[] {0}, new int[][] {Arrays.copyOf(tokens, p)})[0];
        double[] logProbs = BeamSearch.logSoftmax(logits, next);
        exact[item] += logProbs[Arrays.binarySearch(next, tokens[p])];
        node = trie.child(node, tokens[p]);
      }
    }
    Integer[] order = new Integer[codes.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(exact[b], exact[a]));
    for (int r = 0; r < 10; r++) {
      assertThat(ranked.items()[r]).isEqualTo(order[r]);
      assertThat(ranked.scores()[r]).isCloseTo(exact[order[r]], within(1e-9));
    }
    double total = Arrays.stream(exact).map(Math::exp).sum();
    assertThat(total)
        .as("the constrained scores are a distribution over items")
        .isCloseTo(1, within(1e-6));
  }

  @Test
  void aStepWithOneValidTokenAsksTheModelNothing() {
    // Two items that differ only in the first code: after it, each prefix has one continuation.
    int[][] codes = {{0, 1}, {1, 1}};
    SidVocabulary v = new SidVocabulary(codes, 2);
    SidTrie trie = new SidTrie(v);
    int[] calls = {0};
    NextTokenLogits model =
        (users, prefixes) -> {
          calls[0]++;
          assertThat(prefixes[0]).isEmpty();
          float[][] out = new float[users.length][v.size()];
          out[0][v.codeToken(0, 1)] = 2;
          return out;
        };

    RankedItems ranked = new BeamSearch(trie, 10, 2).search(model, 1).get(0);

    assertThat(calls[0]).isEqualTo(1);
    assertThat(ranked.items()).containsExactly(1, 0);
    assertThat(ranked.scores()[0]).isCloseTo(-Math.log1p(Math.exp(-2)), within(1e-9));
  }
}
