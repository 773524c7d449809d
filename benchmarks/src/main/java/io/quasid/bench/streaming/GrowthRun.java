package io.quasid.bench.streaming;

import java.util.List;
import java.util.Map;

/**
 * One arm under one seed.
 *
 * @param checkpoints the live catalogue at the start point and every 10% of the rest of the stream
 * @param versions every version that replaced the live one, with its churn
 * @param computeSeconds the arm's own tokenizer compute (trainer harness, or the retrains)
 * @param published versions published (the continuous arms' first one is the start model)
 * @param rejections gate rejections per criterion (continuous arms)
 * @param startItemsMoved share of the start items whose code tuple differs at the end from the
 *     start model's
 * @param endCodes codes of every item under the final model, for the recommender
 * @param recommender downstream ranking, or null when not run
 */
record GrowthRun(
    GrowthArm arm,
    long seed,
    List<GrowthCheckpoint> checkpoints,
    List<Version> versions,
    double computeSeconds,
    int published,
    Map<String, Integer> rejections,
    double startItemsMoved,
    int[][] endCodes,
    Ranking recommender) {

  /**
   * A version going live at {@code fraction} of the stream, changing the code tuple of {@code
   * churn} of the live items and the level-1 code of {@code level1Churn} of them; {@code
   * relabelledChurn}: the share whose code tuple changed after each level's codes were relabelled
   * to agree best with the previous version's (what is not label switching).
   */
  record Version(double fraction, double churn, double level1Churn, double relabelledChurn) {}

  /**
   * Recall/NDCG@10 of the quality benchmark's recommender retrained on the arm's end codes,
   * late-test users and all users; and the consumer that does not retrain: the frozen arm's
   * recommender (trained on the start model's codes) reading the items through this arm's end codes
   * as it is ({@code keptLateRecall10}) and after one warm epoch on them ({@code
   * warmLateRecall10}), with the share of the training histories' code tokens that differ ({@code
   * remappedTokens}); NaN for the frozen arm itself.
   */
  record Ranking(
      double lateRecall10,
      double lateNdcg10,
      double recall10,
      double ndcg10,
      int lateUsers,
      double seconds,
      double keptLateRecall10,
      double warmLateRecall10,
      double remappedTokens) {

    Ranking withConsumer(double kept, double warm, double remapped) {
      return new Ranking(
          lateRecall10, lateNdcg10, recall10, ndcg10, lateUsers, seconds, kept, warm, remapped);
    }
  }

  GrowthCheckpoint end() {
    return checkpoints.get(checkpoints.size() - 1);
  }

  GrowthRun withRecommender(Ranking r) {
    return new GrowthRun(
        arm,
        seed,
        checkpoints,
        versions,
        computeSeconds,
        published,
        rejections,
        startItemsMoved,
        endCodes,
        r);
  }

  double meanChurn() {
    return versions.stream().mapToDouble(Version::churn).average().orElse(0);
  }

  double meanLevel1Churn() {
    return versions.stream().mapToDouble(Version::level1Churn).average().orElse(0);
  }

  double meanRelabelledChurn() {
    return versions.stream().mapToDouble(Version::relabelledChurn).average().orElse(0);
  }

  double maxChurn() {
    return versions.stream().mapToDouble(Version::churn).max().orElse(0);
  }
}
