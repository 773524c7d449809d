package io.quasid.bench.quality.generative;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBatchTest {

  // Item 0 = tokens (2, 5, 8), item 1 = (3, 6, 8), item 2 = (4, 7, 8); K = 3, 2 levels.
  private static final SidVocabulary VOCABULARY =
      new SidVocabulary(new int[][] {{0, 0}, {1, 1}, {2, 2}}, 3);

  private static final SidTrie TRIE = new SidTrie(VOCABULARY);

  @Test
  void trainingRowsReadEachTargetTokenAtThePositionBeforeIt() {
    TokenBatch b =
        TokenBatch.forTraining(VOCABULARY, TRIE, new int[][] {{0, 1}, {2}}, new int[] {1, 0});

    assertThat(b.length()).isEqualTo(7);
    assertThat(b.tokens()).containsExactly(1, 2, 5, 8, 3, 6, 8, 1, 4, 7, 8, 0, 0, 0);
    // Row 0: item 0 is context, item 1's tokens at positions 4..6 are read at 3..5.
    // Row 1: item 2's tokens at 1..3, read at 0..2 (flat 7..9).
    assertThat(b.readAt()).containsExactly(3, 4, 5, 7, 8, 9);
    assertThat(b.targets()).containsExactly(3, 6, 8, 4, 7, 8);
    // A target competes with the tokens that continue its item's prefix: every first code, then
    // the one second code and dedup token this catalogue has after it.
    assertThat(b.choices()[0]).containsExactly(2, 3, 4);
    assertThat(b.choices()[1]).containsExactly(6);
    assertThat(b.choices()[2]).containsExactly(8);
    assertThat(b.choices()[3]).containsExactly(2, 3, 4);
  }

  @Test
  void decodingRowsReadAfterTheirLastToken() {
    TokenBatch b = TokenBatch.forDecoding(VOCABULARY, new int[][] {{2, 0}, {}});

    assertThat(b.tokens()).containsExactly(1, 4, 7, 8, 2, 5, 8, 1, 0, 0, 0, 0, 0, 0);
    assertThat(b.readAt()).containsExactly(6, 7);
    assertThat(b.rowLengths()).containsExactly(7, 1);
    assertThat(b.targets()).isEmpty();
    assertThat(b.choices()).isEmpty();
  }
}
