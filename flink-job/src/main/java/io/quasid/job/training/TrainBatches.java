package io.quasid.job.training;

import io.quasid.model.TrainBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays examples out as one {@link TrainBatch}: a pair takes two adjacent rows and one index pair.
 */
final class TrainBatches {
  private TrainBatches() {}

  static TrainBatch of(List<TrainingExample> examples) {
    int rows = 0;
    int pairs = 0;
    for (TrainingExample e : examples) {
      rows += e.rows();
      pairs += e.isPair() ? 1 : 0;
    }
    float[][] vectors = new float[rows][];
    long[] ids = new long[rows];
    int[] groups = new int[rows];
    List<int[]> positives = new ArrayList<>(pairs);
    int r = 0;
    for (TrainingExample e : examples) {
      put(vectors, ids, groups, r, e.itemId, e.vector, e.groupId);
      if (e.isPair()) {
        put(vectors, ids, groups, r + 1, e.targetItemId, e.targetVector, e.targetGroupId);
        positives.add(new int[] {r, r + 1});
      }
      r += e.rows();
    }
    return new TrainBatch(vectors, ids, groups, positives.toArray(new int[0][]));
  }

  /**
   * Per row of {@link #of}: 1 for an item example not newer than {@code liveCut} (an item the live
   * version placed), 0 for newer items and for both rows of a pair.
   */
  static float[] anchorWeights(List<TrainingExample> examples, long liveCut) {
    int rows = 0;
    for (TrainingExample e : examples) {
      rows += e.rows();
    }
    float[] weights = new float[rows];
    int r = 0;
    for (TrainingExample e : examples) {
      if (!e.isPair() && e.eventTime <= liveCut) {
        weights[r] = 1f;
      }
      r += e.rows();
    }
    return weights;
  }

  private static void put(
      float[][] vectors, long[] ids, int[] groups, int row, String id, float[] v, String group) {
    vectors[row] = v;
    ids[row] = SeededDraws.idHash(id);
    // Non-negative when there is a group: a negative value means "no group" to the model.
    groups[row] = group == null ? -1 : (int) (SeededDraws.idHash(group) >>> 33);
  }
}
