package io.quasid.bench.quality.generative;

/**
 * Token sequences of one graph call, right-padded with {@link SidVocabulary#PAD} to a common
 * length, and the flat positions ({@code row * length + position}) whose next-token logits are
 * read, with the token expected there and the tokens it was chosen among (none when decoding).
 *
 * @param choices per target, the tokens that continue the target item's prefix in the catalogue
 *     ({@link SidTrie#nextTokens}, shared arrays): the loss is a softmax over these only, as beam
 *     search scores them
 */
record TokenBatch(
    int rows, int length, int[] tokens, int[] readAt, int[] targets, int[][] choices) {

  /**
   * Each row is BOS followed by the tokens of its items.
   *
   * @param items per row, the item ids in order
   * @param targetFrom per row, the first item whose tokens are targets (each read at the position
   *     before it); items before it are context only
   */
  static TokenBatch forTraining(
      SidVocabulary vocabulary, SidTrie trie, int[][] items, int[] targetFrom) {
    int per = vocabulary.tokensPerItem();
    int[][] rows = new int[items.length][];
    int reads = 0;
    for (int r = 0; r < items.length; r++) {
      rows[r] = sequence(vocabulary, items[r]);
      reads += (items[r].length - targetFrom[r]) * per;
    }
    int length = longest(rows);
    int[] readAt = new int[reads];
    int[] targets = new int[reads];
    int[][] choices = new int[reads][];
    int k = 0;
    for (int r = 0; r < items.length; r++) {
      for (int i = targetFrom[r]; i < items[r].length; i++) {
        int node = trie.root();
        for (int t = 0; t < per; t++) {
          int p = 1 + i * per + t;
          readAt[k] = r * length + p - 1;
          targets[k] = rows[r][p];
          choices[k++] = trie.nextTokens(node);
          node = trie.child(node, rows[r][p]);
        }
      }
    }
    return new TokenBatch(rows.length, length, padded(rows, length), readAt, targets, choices);
  }

  /** Histories to decode from: BOS and their items' tokens, read after the last token. */
  static TokenBatch forDecoding(SidVocabulary vocabulary, int[][] histories) {
    int[][] rows = new int[histories.length][];
    for (int r = 0; r < histories.length; r++) {
      rows[r] = sequence(vocabulary, histories[r]);
    }
    return readingLast(rows);
  }

  /** Token rows as they are (each non-empty), read after each row's last token. */
  static TokenBatch readingLast(int[][] rows) {
    int length = longest(rows);
    int[] readAt = new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      readAt[r] = r * length + rows[r].length - 1;
    }
    return new TokenBatch(
        rows.length, length, padded(rows, length), readAt, new int[0], new int[0][]);
  }

  /** Real tokens of each row; for a {@link #readingLast} batch (one read a row, after its end). */
  int[] rowLengths() {
    int[] lengths = new int[rows];
    for (int r = 0; r < rows; r++) {
      lengths[r] = readAt[r] - r * length + 1;
    }
    return lengths;
  }

  /** BOS and the tokens of {@code items}. */
  private static int[] sequence(SidVocabulary vocabulary, int[] items) {
    int per = vocabulary.tokensPerItem();
    int[] tokens = new int[1 + items.length * per];
    tokens[0] = SidVocabulary.BOS;
    for (int i = 0; i < items.length; i++) {
      for (int t = 0; t < per; t++) {
        tokens[1 + i * per + t] = vocabulary.token(items[i], t);
      }
    }
    return tokens;
  }

  private static int[] padded(int[][] rows, int length) {
    int[] tokens = new int[rows.length * length];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, tokens, r * length, rows[r].length);
    }
    return tokens;
  }

  private static int longest(int[][] rows) {
    int max = 0;
    for (int[] row : rows) {
      max = Math.max(max, row.length);
    }
    return max;
  }
}
