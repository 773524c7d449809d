package io.quasid.bench.quality;

import java.util.Arrays;

/**
 * One benchmark catalogue in the shape every stage here uses. All item ids are 0-based, so item i
 * is row i of {@link #vectors()}.
 *
 * @param vectors item feature vectors {@code [items][d]}: the tokenizer's input
 * @param sequences per-user item sequences in time order
 * @param groupIds product group of each item (for the optional same-group mask), -1 when none
 */
public record CatalogueData(float[][] vectors, int[][] sequences, int[] groupIds) {

  public int numItems() {
    return vectors.length;
  }

  public int numUsers() {
    return sequences.length;
  }

  public long numInteractions() {
    return Arrays.stream(sequences).mapToLong(s -> s.length).sum();
  }
}
