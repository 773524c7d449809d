package io.quasid.bench.quality;

import java.util.List;

/**
 * Outcome of training the SID recommender once.
 *
 * @param validationByEpoch validation ranking after each epoch (only the last one unless every
 *     epoch was requested)
 * @param test test ranking after the last epoch
 */
public record RecommenderRun(
    long seed,
    int parameterCount,
    List<RankingSummary> validationByEpoch,
    RankingSummary test,
    double meanLastEpochLoss,
    double seconds) {

  public RankingSummary validation() {
    return validationByEpoch.get(validationByEpoch.size() - 1);
  }
}
