package io.quasid.bench.quality;

import java.util.Arrays;

/**
 * One benchmark catalogue in the shape every stage here uses. All item ids are 0-based, so item i
 * is row i of {@link #vectors()}.
 *
 * @param vectors item feature vectors {@code [items][d]}: the tokenizer's input
 * @param sequences per-user item sequences in time order
 * @param groupIds product group of each item (for the optional same-group mask), -1 when none
 * @param digitTwins items whose text equals another item's but for digits and punctuation (the
 *     twins a text encoder must still tell apart), or null where items have no text
 */
public record CatalogueData(
    float[][] vectors, int[][] sequences, int[] groupIds, boolean[] digitTwins) {

  public CatalogueData(float[][] vectors, int[][] sequences, int[] groupIds) {
    this(vectors, sequences, groupIds, null);
  }

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
