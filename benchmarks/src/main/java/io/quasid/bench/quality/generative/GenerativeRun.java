package io.quasid.bench.quality.generative;

import io.quasid.bench.quality.RankingSummary;
import io.quasid.bench.quality.UserScores;

/**
 * Outcome of training the generative recommender once and decoding its test users.
 *
 * @param users the test users scored (indices into the split), ascending
 * @param test Recall@5/10 and NDCG@5/10 over those users (the top-K of the beam is the ranking; a
 *     target outside it scores 0)
 * @param testScores per-user Recall@10 and NDCG@10, aligned with {@code users}
 * @param epochLoss mean training cross-entropy per target token, per epoch
 * @param validationLoss teacher-forced cross-entropy per token of the validation targets after each
 *     epoch (on a fixed sample of users)
 */
public record GenerativeRun(
    int[] users,
    RankingSummary test,
    UserScores testScores,
    double[] epochLoss,
    double[] validationLoss,
    long parameterCount,
    double trainSeconds,
    double decodeSeconds) {}
