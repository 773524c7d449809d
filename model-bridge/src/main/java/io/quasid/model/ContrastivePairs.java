package io.quasid.model;

import java.util.Set;

/**
 * The batch's collaborative pairs prepared for the in-batch InfoNCE: trigger and target rows, and
 * which in-batch candidates stay in each softmax denominator.
 *
 * <p>Under {@link QuasidConfig.ContrastiveNegatives#PAIRS} the candidates of trigger b are the P
 * targets: {@code keepTriggerToTarget[b][j]} is 1 when target j is a negative for trigger b, or j
 * == b (the positive itself). Under {@code BATCH} they are every row of the batch ({@code [P][B]}),
 * and the kept positive is the row of b's own target. Either way a candidate is dropped when it is
 * the anchor item itself, a duplicate of the anchor's positive, or another known positive of the
 * anchor: treating those as negatives would push together-engaged items apart. {@code
 * keepTargetToTrigger} is the same for the reverse direction.
 */
public record ContrastivePairs(
    int[] triggerRows,
    int[] targetRows,
    float[][] keepTriggerToTarget,
    float[][] keepTargetToTrigger) {

  public static ContrastivePairs of(TrainBatch batch, QuasidConfig.ContrastiveNegatives negatives) {
    int[][] pairs = batch.positivePairs();
    int p = pairs.length;
    int[] trig = new int[p];
    int[] targ = new int[p];
    for (int b = 0; b < p; b++) {
      if (pairs[b].length != 2) {
        throw new IllegalArgumentException("positive pair " + b + " must have 2 rows");
      }
      trig[b] = checkRow(batch, pairs[b][0]);
      targ[b] = checkRow(batch, pairs[b][1]);
    }
    long[] ids = batch.itemIds();
    Set<PairMasks.ItemPair> positives = PairMasks.positiveItemPairs(batch);
    if (negatives == QuasidConfig.ContrastiveNegatives.BATCH) {
      int n = batch.size();
      float[][] forward = new float[p][n];
      float[][] backward = new float[p][n];
      for (int b = 0; b < p; b++) {
        for (int row = 0; row < n; row++) {
          forward[b][row] =
              row == targ[b] || keep(ids[trig[b]], ids[targ[b]], ids[row], positives) ? 1f : 0f;
          backward[b][row] =
              row == trig[b] || keep(ids[targ[b]], ids[trig[b]], ids[row], positives) ? 1f : 0f;
        }
      }
      return new ContrastivePairs(trig, targ, forward, backward);
    }
    float[][] forward = new float[p][p];
    float[][] backward = new float[p][p];
    for (int b = 0; b < p; b++) {
      for (int j = 0; j < p; j++) {
        forward[b][j] =
            b == j || keep(ids[trig[b]], ids[targ[b]], ids[targ[j]], positives) ? 1f : 0f;
        backward[b][j] =
            b == j || keep(ids[targ[b]], ids[trig[b]], ids[trig[j]], positives) ? 1f : 0f;
      }
    }
    return new ContrastivePairs(trig, targ, forward, backward);
  }

  public int size() {
    return triggerRows.length;
  }

  private static boolean keep(
      long anchor, long positive, long candidate, Set<PairMasks.ItemPair> positives) {
    return candidate != anchor
        && candidate != positive
        && !positives.contains(PairMasks.ItemPair.of(anchor, candidate));
  }

  private static int checkRow(TrainBatch batch, int row) {
    if (row < 0 || row >= batch.size()) {
      throw new IllegalArgumentException(
          "positive pair row " + row + " out of range [0, " + batch.size() + ")");
    }
    return row;
  }
}
