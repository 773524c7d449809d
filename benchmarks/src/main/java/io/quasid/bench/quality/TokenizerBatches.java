package io.quasid.bench.quality;

import io.quasid.model.TrainBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Training batches for every tokenizer variant, identical across variants for one seed: the first
 * {@code catalogueShare} of each batch walks the shuffled catalogue (so reconstruction sees every
 * item equally often), the rest holds collaborative pairs, consecutive distinct items of a training
 * sequence. Variants without a contrastive term simply ignore the pairs.
 */
public final class TokenizerBatches {

  private final CatalogueData data;
  private final int[][] pairs;
  private final int batchSize;
  private final double catalogueShare;
  private final Random random;
  private final int[] catalogueOrder;
  private int cursor;

  /** Half catalogue, half pairs: the quality benchmark's batches. */
  public TokenizerBatches(CatalogueData data, int[][] pairs, int batchSize, long seed) {
    this(data, pairs, batchSize, 0.5, seed);
  }

  public TokenizerBatches(
      CatalogueData data, int[][] pairs, int batchSize, double catalogueShare, long seed) {
    this.data = data;
    this.pairs = pairs;
    this.batchSize = batchSize;
    this.catalogueShare = catalogueShare;
    this.random = new Random(seed);
    this.catalogueOrder = IntStream.range(0, data.numItems()).toArray();
    shuffle();
  }

  /** Consecutive distinct items of the training prefixes; never touches validation or test. */
  public static int[][] collaborativePairs(LeaveOneOutSplit split) {
    List<int[]> out = new ArrayList<>();
    for (int[] seq : split.train()) {
      for (int t = 1; t < seq.length; t++) {
        if (seq[t - 1] != seq[t]) {
          out.add(new int[] {seq[t - 1], seq[t]});
        }
      }
    }
    return out.toArray(new int[0][]);
  }

  public TrainBatch next() {
    int uniform = (int) Math.round(batchSize * catalogueShare);
    int pairCount = (batchSize - uniform) / 2;
    float[][] vectors = new float[uniform + 2 * pairCount][];
    long[] ids = new long[vectors.length];
    int[] groups = new int[vectors.length];
    int[][] positives = new int[pairCount][];
    for (int r = 0; r < uniform; r++) {
      if (cursor == catalogueOrder.length) {
        shuffle();
      }
      put(r, catalogueOrder[cursor++], vectors, ids, groups);
    }
    for (int p = 0; p < pairCount; p++) {
      int[] pair = pairs[random.nextInt(pairs.length)];
      int row = uniform + 2 * p;
      put(row, pair[0], vectors, ids, groups);
      put(row + 1, pair[1], vectors, ids, groups);
      positives[p] = new int[] {row, row + 1};
    }
    return new TrainBatch(vectors, ids, groups, positives);
  }

  private void put(int row, int item, float[][] vectors, long[] ids, int[] groups) {
    vectors[row] = data.vectors()[item];
    ids[row] = item;
    groups[row] = data.groupIds()[item];
  }

  private void shuffle() {
    for (int i = catalogueOrder.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = catalogueOrder[i];
      catalogueOrder[i] = catalogueOrder[j];
      catalogueOrder[j] = tmp;
    }
    cursor = 0;
  }
}
