package io.quasid.bench.quality.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.bench.quality.CodeTuple;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SidVocabularyTest {

  @Test
  void layoutIsCodesPerLevelThenTheIndexAmongCollidingItems() {
    // Items 1 and 3 share codes (2, 0); item 4 shares them too.
    int[][] codes = {{0, 1}, {2, 0}, {1, 1}, {2, 0}, {2, 0}};

    SidVocabulary v = new SidVocabulary(codes, 3);

    // BOS/PAD, then level 0 codes at 2..4, level 1 codes at 5..7, dedup tokens from 8.
    assertThat(v.tokens(0)).containsExactly(2, 6, 8);
    assertThat(v.tokens(1)).containsExactly(4, 5, 8);
    assertThat(v.tokens(3)).containsExactly(4, 5, 9);
    assertThat(v.tokens(4)).containsExactly(4, 5, 10);
    assertThat(v.dedupTokens()).isEqualTo(3);
    assertThat(v.size()).isEqualTo(11);
    assertThat(v.tokensPerItem()).isEqualTo(3);
  }

  @Test
  void tokenSequencesAreABijectionWithTheItems() {
    Random random = new Random(3);
    for (int trial = 0; trial < 20; trial++) {
      int items = 1 + random.nextInt(500);
      int levels = 1 + random.nextInt(3);
      int k = 2 + random.nextInt(6); // small codebooks: many collisions
      int[][] codes = new int[items][levels];
      for (int[] row : codes) {
        for (int l = 0; l < levels; l++) {
          row[l] = random.nextInt(k);
        }
      }

      SidVocabulary v = new SidVocabulary(codes, k);

      Set<CodeTuple> seen = new HashSet<>();
      for (int i = 0; i < items; i++) {
        int[] tokens = v.tokens(i);
        assertThat(seen.add(new CodeTuple(tokens))).as("item %d has a unique sequence", i).isTrue();
        assertThat(v.item(tokens)).isEqualTo(i);
        for (int l = 0; l < levels; l++) {
          assertThat(tokens[l]).isEqualTo(v.codeToken(l, codes[i][l]));
        }
        assertThat(Arrays.stream(tokens).boxed().toList())
            .allSatisfy(t -> assertThat(t).isBetween(SidVocabulary.BOS + 1, v.size() - 1));
      }
      assertThat(v.item(new int[levels + 1])).isEqualTo(-1);
    }
  }

  @Test
  void refusesCodesOutsideTheCodebook() {
    assertThatThrownBy(() -> new SidVocabulary(new int[][] {{0, 3}}, 3))
        .hasMessageContaining("out of range");
  }
}
