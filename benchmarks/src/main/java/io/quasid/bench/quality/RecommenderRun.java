package io.quasid.bench.quality;

import java.util.List;

/**
 * Outcome of training the SID recommender once.
 *
 * @param validationByEpoch validation ranking after each epoch (only the last one unless every
 *     epoch was requested)
 * @param test test ranking after the last epoch (sum-of-codes scorer, all test users)
 * @param testSum per-user test scores of the sum-of-codes scorer
 * @param testPrefix per-user test scores with cold items scored by {@link PrefixScorer} (equal to
 *     {@code testSum} without cold items)
 */
public record RecommenderRun(
    long seed,
    int parameterCount,
    List<RankingSummary> validationByEpoch,
    RankingSummary test,
    UserScores testSum,
    UserScores testPrefix,
    double meanLastEpochLoss,
    double seconds) {

  public RankingSummary validation() {
    return validationByEpoch.get(validationByEpoch.size() - 1);
  }
}
