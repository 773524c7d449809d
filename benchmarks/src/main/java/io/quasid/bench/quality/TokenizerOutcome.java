package io.quasid.bench.quality;

/**
 * Codes and cost of one tokenizer variant.
 *
 * @param trainSeconds wall time of training (or of k-means fitting), catalogue evaluations excluded
 * @param trainItemsPerSecond batch rows processed per second of training (items clustered per
 *     second for k-means)
 * @param encodeItemsPerSecond catalogue items encoded per second by the final tokenizer
 */
public record TokenizerOutcome(
    TokenizerVariant variant,
    int[][] codes,
    TrainingCurve curve,
    double trainSeconds,
    double trainItemsPerSecond,
    double encodeItemsPerSecond,
    double finalLoss) {}
