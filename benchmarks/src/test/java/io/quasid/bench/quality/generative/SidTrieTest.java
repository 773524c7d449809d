package io.quasid.bench.quality.generative;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SidTrieTest {

  private static final int[][] CODES = {{0, 1}, {2, 0}, {0, 2}, {2, 0}};

  @Test
  void everyRootToLeafPathIsOneItem() {
    SidVocabulary v = new SidVocabulary(CODES, 3);
    SidTrie trie = new SidTrie(v);

    for (int item = 0; item < CODES.length; item++) {
      int node = trie.root();
      for (int token : v.tokens(item)) {
        assertThat(trie.item(node)).isEqualTo(-1);
        node = trie.child(node, token);
        assertThat(node).isPositive();
      }
      assertThat(trie.nextTokens(node)).isEmpty();
      assertThat(trie.item(node)).isEqualTo(item);
    }
  }

  @Test
  void childrenAreTheTokensThatContinueAValidPrefix() {
    SidVocabulary v = new SidVocabulary(CODES, 3);
    SidTrie trie = new SidTrie(v);

    assertThat(trie.nextTokens(trie.root())).containsExactly(v.codeToken(0, 0), v.codeToken(0, 2));
    int first = trie.child(trie.root(), v.codeToken(0, 0));
    assertThat(trie.nextTokens(first)).containsExactly(v.codeToken(1, 1), v.codeToken(1, 2));
    int colliding = trie.child(trie.child(trie.root(), v.codeToken(0, 2)), v.codeToken(1, 0));
    assertThat(trie.nextTokens(colliding)).hasSize(2);
    assertThat(trie.child(trie.root(), v.codeToken(0, 1))).isEqualTo(-1);
    assertThat(trie.depth()).isEqualTo(3);
  }
}
