package io.quasid.bench.quality.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecoderGraphTest {

  private static final GenerativeConfig CONFIG = GenerativeConfig.standard(4, 8, 1, 1e-3, 10, 0);

  private static SidVocabulary vocabulary() {
    Random random = new Random(4);
    int[][] codes = new int[25][];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = new int[] {random.nextInt(5), random.nextInt(5)};
    }
    return new SidVocabulary(codes, 5);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void aCachedStepGivesTheLogitsOfTheWholeSequence() {
    SidVocabulary v = vocabulary();
    int[][] histories = {{3, 7, 1}, {}, {12}};
    int[] next = v.tokens(9);
    try (DecoderGraph graph =
        new DecoderGraph(CONFIG, v.size(), CONFIG.maxPositions(v.tokensPerItem()), 3)) {
      TokenBatch decoding = TokenBatch.forDecoding(v, histories);
      try (DecoderGraph.Prefill prefill = graph.prefill(decoding)) {
        for (int j = 1; j <= next.length; j++) {
          int[] prefix = Arrays.copyOf(next, j);
          float[][] cached =
              graph.step(prefill, new int[] {0, 1, 2}, new int[][] {prefix, prefix, prefix});
          for (int u = 0; u < histories.length; u++) {
            int[] row =
                Arrays.copyOfRange(
                    decoding.tokens(),
                    u * decoding.length(),
                    u * decoding.length() + decoding.rowLengths()[u]);
            // The same tokens alone in their batch, no padding, no cache.
            try (DecoderGraph.Prefill whole =
                graph.prefill(TokenBatch.readingLast(new int[][] {concat(row, prefix)}))) {
              assertThat(cached[u])
                  .as("user %d, prefix %d", u, j)
                  .usingComparatorWithPrecision(1e-4f)
                  .containsExactly(whole.logits(0));
            }
          }
        }
      }
    }
  }

  @Test
  void paddingDoesNotChangeARowsLogits() {
    SidVocabulary v = vocabulary();
    try (DecoderGraph graph =
            new DecoderGraph(CONFIG, v.size(), CONFIG.maxPositions(v.tokensPerItem()), 5);
        DecoderGraph.Prefill batch =
            graph.prefill(TokenBatch.forDecoding(v, new int[][] {{4}, {1, 2, 3, 4}}));
        DecoderGraph.Prefill alone = graph.prefill(TokenBatch.forDecoding(v, new int[][] {{4}}))) {
      assertThat(batch.logits(0))
          .usingComparatorWithPrecision(1e-5f)
          .containsExactly(alone.logits(0));
    }
  }

  @Test
  void theLossIsTheMeanCrossEntropyOverEachTargetsValidTokens() {
    SidVocabulary v = vocabulary();
    SidTrie trie = new SidTrie(v);
    int[] history = {3, 7};
    int target = 11;
    try (DecoderGraph graph =
        new DecoderGraph(CONFIG, v.size(), CONFIG.maxPositions(v.tokensPerItem()), 8)) {
      float loss =
          graph.loss(
              TokenBatch.forTraining(
                  v, trie, new int[][] {{3, 7, target}}, new int[] {history.length}));

      int[] row = TokenBatch.forDecoding(v, new int[][] {history}).tokens();
      int[] tokens = v.tokens(target);
      double sum = 0;
      int node = trie.root();
      for (int p = 0; p < tokens.length; p++) {
        try (DecoderGraph.Prefill prefill =
            graph.prefill(
                TokenBatch.readingLast(new int[][] {concat(row, Arrays.copyOf(tokens, p))}))) {
          int[] valid = trie.nextTokens(node);
          double[] logProbs = BeamSearch.logSoftmax(prefill.logits(0), valid);
          sum -= logProbs[Arrays.binarySearch(valid, tokens[p])];
        }
        node = trie.child(node, tokens[p]);
      }
      assertThat((double) loss).isCloseTo(sum / tokens.length, within(1e-4));
    }
  }
}
