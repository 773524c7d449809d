package io.quasid.bench.streaming;

/**
 * One arm's live catalogue at one measurement point.
 *
 * @param fraction share of the stream after the start point that has been replayed
 * @param liveItems items arrived so far
 * @param lateItems of which arrived after the start point
 * @param collisionRate (N - distinct code tuples) / N over the live catalogue
 * @param largestBucket most live items sharing one code tuple
 * @param lateColliding share of the late items whose code tuple another live item shares
 * @param utilisation per level, used codes / codebook size (live catalogue)
 * @param perplexity per level, exp of the code-usage entropy (live catalogue)
 * @param coherence1 held-out co-engaged pairs (both live) sharing their level-1 code
 * @param coherence12 ... sharing their level-1 and level-2 codes
 * @param lateCoherence1 the same over held-out pairs with at least one late item
 * @param lateCoherence12 the same over held-out pairs with at least one late item
 * @param random1 random pairs of live items sharing their level-1 code
 * @param random12 random pairs of live items sharing their level-1 and level-2 codes
 * @param pairs held-out pairs counted
 * @param latePairs held-out pairs with a late item counted
 */
record GrowthCheckpoint(
    double fraction,
    int liveItems,
    int lateItems,
    double collisionRate,
    int largestBucket,
    double lateColliding,
    double[] utilisation,
    double[] perplexity,
    double coherence1,
    double coherence12,
    double lateCoherence1,
    double lateCoherence12,
    double random1,
    double random12,
    int pairs,
    int latePairs) {}
