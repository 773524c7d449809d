package io.quasid.bench.quality.generative;

/**
 * One user's recommendation: distinct items, best first, with their log-probabilities under the
 * trie-constrained model (the sum over the item's tokens of the log-softmax over the valid tokens).
 */
public record RankedItems(int[] items, double[] scores) {

  /** 0-based rank of {@code item}, or -1 where it was not recommended. */
  public int rankOf(int item) {
    for (int r = 0; r < items.length; r++) {
      if (items[r] == item) {
        return r;
      }
    }
    return -1;
  }
}
