package io.quasid.bench.quality;

/**
 * Codes and cost of one tokenizer variant.
 *
 * @param seed the tokenizer seed (weights, k-means, batch order)
 * @param trainSeconds wall time of training (or of k-means fitting), catalogue evaluations excluded
 * @param trainItemsPerSecond batch rows processed per second of training (items clustered per
 *     second for k-means)
 * @param encodeItemsPerSecond catalogue items encoded per second by the final tokenizer
 * @param tiers qualified pairs per training step in each collision tier ({@code null} for k-means)
 */
public record TokenizerOutcome(
    TokenizerVariant variant,
    long seed,
    int[][] codes,
    TrainingCurve curve,
    double trainSeconds,
    double trainItemsPerSecond,
    double encodeItemsPerSecond,
    double finalLoss,
    TierCounts tiers) {

  /**
   * Mean qualified pairs per step (full tier H = 0, partial tier 0 < H <= R) and the share of steps
   * with at least one, as {@code TrainResult} reports them; counted with repulsion off too.
   */
  public record TierCounts(
      double meanFull, double meanPartial, double stepsWithFull, double stepsWithPartial) {

    static final class Accumulator {
      private long steps;
      private long full;
      private long partial;
      private long withFull;
      private long withPartial;

      void add(long fullPairs, long partialPairs) {
        steps++;
        full += fullPairs;
        partial += partialPairs;
        withFull += fullPairs > 0 ? 1 : 0;
        withPartial += partialPairs > 0 ? 1 : 0;
      }

      TierCounts counts() {
        double n = Math.max(1, steps);
        return new TierCounts(full / n, partial / n, withFull / n, withPartial / n);
      }
    }
  }
}
