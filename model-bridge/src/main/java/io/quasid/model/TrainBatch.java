package io.quasid.model;

/**
 * One training mini-batch.
 *
 * @param vectors item feature vectors {@code [n][inputDim]}; all finite
 * @param itemIds id of each row; the same item may appear in several rows (never repelled)
 * @param groupIds product group of each row, or {@code null}; a negative value means "no group"
 * @param positivePairs collaborative (trigger, target) pairs as row indices into {@code vectors}
 *     ({@code [p][2]}), or an empty array; they feed the contrastive loss and are never repelled
 */
public record TrainBatch(float[][] vectors, long[] itemIds, int[] groupIds, int[][] positivePairs) {

  public TrainBatch {
    if (vectors.length != itemIds.length) {
      throw new IllegalArgumentException(
          "vectors and itemIds differ in length: " + vectors.length + " vs " + itemIds.length);
    }
    if (groupIds != null && groupIds.length != vectors.length) {
      throw new IllegalArgumentException("groupIds must be null or one per row");
    }
    if (positivePairs == null) {
      positivePairs = new int[0][];
    }
  }

  public static TrainBatch ofItems(float[][] vectors, long[] itemIds) {
    return new TrainBatch(vectors, itemIds, null, new int[0][]);
  }

  public int size() {
    return vectors.length;
  }
}
