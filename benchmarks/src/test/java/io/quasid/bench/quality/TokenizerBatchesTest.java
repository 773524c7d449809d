package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.model.TrainBatch;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenizerBatchesTest {

  private static CatalogueData dataset(int items) {
    float[][] v = new float[items][2];
    int[] groups = new int[items];
    for (int i = 0; i < items; i++) {
      v[i][0] = i;
      groups[i] = i % 3;
    }
    return new CatalogueData(v, new int[][] {{0, 1, 2, 3, 4}}, groups);
  }

  @Test
  void pairsComeFromTrainingPrefixesOnly() {
    LeaveOneOutSplit split = LeaveOneOutSplit.of(new int[][] {{0, 1, 1, 2, 7, 8}, {3, 4, 5}});

    int[][] pairs = TokenizerBatches.collaborativePairs(split);

    assertThat(pairs).isDeepEqualTo(new int[][] {{0, 1}, {1, 2}});
  }

  @Test
  void halfUniformCatalogueHalfPositivePairs() {
    CatalogueData data = dataset(10);
    int[][] pairs = {{1, 2}, {3, 4}};
    TokenizerBatches batches = new TokenizerBatches(data, pairs, 8, 1);

    TrainBatch b = batches.next();

    assertThat(b.size()).isEqualTo(8);
    assertThat(b.positivePairs()).isDeepEqualTo(new int[][] {{4, 5}, {6, 7}});
    for (int[] p : b.positivePairs()) {
      long a = b.itemIds()[p[0]];
      long c = b.itemIds()[p[1]];
      assertThat(new long[] {a, c}).isIn(new long[] {1, 2}, new long[] {3, 4});
    }
    for (int r = 0; r < 8; r++) {
      int item = (int) b.itemIds()[r];
      assertThat(b.vectors()[r]).isSameAs(data.vectors()[item]);
      assertThat(b.groupIds()[r]).isEqualTo(item % 3);
    }
  }

  @Test
  void shareZeroGivesPairsOnlyLikeAnInteractionStream() {
    TrainBatch b = new TokenizerBatches(dataset(10), new int[][] {{1, 2}}, 8, 0.0, 1).next();

    assertThat(b.positivePairs()).isDeepEqualTo(new int[][] {{0, 1}, {2, 3}, {4, 5}, {6, 7}});
    assertThat(b.itemIds()).containsExactly(1, 2, 1, 2, 1, 2, 1, 2);
  }

  @Test
  void uniformHalfVisitsEveryItemOncePerPass() {
    TokenizerBatches batches = new TokenizerBatches(dataset(12), new int[][] {{0, 1}}, 8, 3);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      TrainBatch b = batches.next();
      for (int r = 0; r < 4; r++) {
        assertThat(seen.add(b.itemIds()[r])).isTrue();
      }
    }
    assertThat(seen).hasSize(12);
  }

  @Test
  void sameSeedSameBatches() {
    int[][] pairs = {{1, 2}, {3, 4}, {5, 6}};
    TrainBatch a = new TokenizerBatches(dataset(10), pairs, 8, 9).next();
    TrainBatch b = new TokenizerBatches(dataset(10), pairs, 8, 9).next();

    assertThat(a.itemIds()).containsExactly(b.itemIds());
  }
}
