package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PpmiPairsTest {

  @Test
  void eachItemGetsItsHighestPpmiPartnerNotItsMostFrequentOne() {
    // Item 0 sits next to the popular item 9 as often as next to the rare item 5, but 9 co-occurs
    // with everything: 5 is 0's partner by PPMI, where adjacent pairs would favour neither.
    int[][] sequences = {
      {0, 5}, {0, 5}, {0, 9}, {0, 9}, {1, 9}, {2, 9}, {3, 9}, {4, 9},
    };

    List<String> pairs = text(PpmiPairs.argmaxPairs(sequences, 1));

    assertThat(pairs).contains("0-5", "5-0", "1-9").doesNotContain("0-9");
  }

  @Test
  void countsMatchTheReferenceFormulaByHand() {
    // Window 1 over {0,1,2}: counts (0,1) (1,0) (1,2) (2,1) = 1 each; totals 0:1, 1:2, 2:1; all 4.
    // PMI(0,1) = log(1 * 4 / (1 * 2)) = log 2 > 0; PMI(1,0) = PMI(1,2) = log 2: a tie, lower id.
    assertThat(text(PpmiPairs.argmaxPairs(new int[][] {{0, 1, 2}}, 1)))
        .containsExactly("0-1", "1-0", "2-1");
  }

  @Test
  void theWindowDecidesWhichItemsCoOccurAndAnItemIsNeverItsOwnPartner() {
    int[][] sequences = {{0, 7, 7, 1}, {2, 3, 4, 5}, {6, 8, 10, 11}};

    assertThat(text(PpmiPairs.argmaxPairs(sequences, 1))).doesNotContain("0-1");
    assertThat(text(PpmiPairs.argmaxPairs(sequences, 3))).contains("0-1");
    for (int[] p : PpmiPairs.argmaxPairs(sequences, 3)) {
      assertThat(p[0]).isNotEqualTo(p[1]);
    }
    assertThatThrownBy(() -> PpmiPairs.argmaxPairs(sequences, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window");
  }

  @Test
  void onlyTrainingPrefixesAreRead() {
    // The last two items of each sequence are validation and test targets: 8 and 9 never pair.
    LeaveOneOutSplit split = LeaveOneOutSplit.of(new int[][] {{0, 1, 8, 9}, {1, 0, 9, 8}});

    for (int[] p : PpmiPairs.argmaxPairs(split, 3)) {
      assertThat(p).doesNotContain(8, 9);
    }
  }

  @Test
  void theMixedSourceSamplesAdjacentAndPpmiPairsAboutHalfEach() {
    int[][] sequences = new int[40][];
    for (int u = 0; u < sequences.length; u++) {
      sequences[u] = new int[] {u % 10, (u + 1) % 10, (u + 3) % 10, u % 7 + 10, 30, 31};
    }
    LeaveOneOutSplit split = LeaveOneOutSplit.of(sequences);
    int[][] adjacent = TokenizerRecipe.PairSource.ADJACENT.pairs(split);
    int[][] ppmi = TokenizerRecipe.PairSource.PPMI.pairs(split);

    List<String> mixed = text(TokenizerRecipe.PairSource.MIXED.pairs(split));

    assertThat(mixed.subList(0, adjacent.length)).isEqualTo(text(adjacent));
    List<String> rest = mixed.subList(adjacent.length, mixed.size());
    assertThat(rest.size() % ppmi.length).isZero();
    assertThat(rest).containsAll(text(ppmi));
    assertThat((double) rest.size() / adjacent.length).isBetween(0.5, 1.5);
  }

  private static List<String> text(int[][] pairs) {
    return Arrays.stream(pairs).map(p -> p[0] + "-" + p[1]).toList();
  }
}
