package io.quasid.bench.quality;

/**
 * Recall@K and NDCG@K of one held-out target under full ranking, in expectation over a uniformly
 * random order of tied items. Ties matter here: items sharing a full SID get identical scores from
 * a recommender that sees only SIDs, and breaking them in the target's favour would reward
 * collisions.
 */
public final class RankingMetrics {

  private RankingMetrics() {}

  /**
   * @param greater number of other items scored strictly above the target
   * @param ties number of other items scored exactly as the target
   */
  public static double recall(long greater, long ties, int k) {
    long hitPositions = Math.max(0, Math.min(greater + ties, k - 1L) - greater + 1);
    return (double) hitPositions / (ties + 1);
  }

  /** One relevant item, so IDCG = 1 and NDCG = 1 / log2(rank + 1) with 1-based rank. */
  public static double ndcg(long greater, long ties, int k) {
    double sum = 0;
    for (long pos = greater; pos <= Math.min(greater + ties, k - 1L); pos++) {
      sum += 1.0 / log2(pos + 2);
    }
    return sum / (ties + 1);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
