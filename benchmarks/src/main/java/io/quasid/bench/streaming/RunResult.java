package io.quasid.bench.streaming;

import java.util.List;

/**
 * What one throughput run measured.
 *
 * @param job e.g. "pass-through", "QuaSID, training off"
 * @param items catalogue items expected
 * @param committed catalogue items with a committed output record when the run ended
 * @param steadyRate items/s from the first committed output to the last (see {@link
 *     CommittedWatcher.PrefixStats#steadyRate}); NaN when too few commits
 * @param steadySeconds first to last committed output
 * @param submitSeconds job submission to last committed output
 * @param interactions interactions the job's source committed (training-on runs), else -1
 * @param interactionsPerSecond their rate while the job read them, else NaN
 * @param versions model versions seen on the output during the run
 * @param checkpoints the job's checkpoint history
 * @param series committed items per second since submission (smoothed later)
 * @param deadLetters records committed to the job's dead-letter topic by the end of the run (every
 *     input of the benchmark is valid: each one is an input the job rejected wrongly), or null for
 *     a job without one
 */
record RunResult(
    String job,
    int dim,
    long items,
    long committed,
    double steadyRate,
    double steadySeconds,
    double submitSeconds,
    long interactions,
    double interactionsPerSecond,
    List<Long> versions,
    List<FlinkRest.Checkpoint> checkpoints,
    ThroughputSeries series,
    DeadLetterSummary deadLetters) {

  double itemsPerSecond() {
    return steadyRate;
  }

  double submitItemsPerSecond() {
    return submitSeconds > 0 ? committed / submitSeconds : Double.NaN;
  }

  /**
   * The rate that sizes the paced phases after this run (latency, the re-encode's new items): the
   * steady rate, or the rate from submission when the items came in too few commits for one (a
   * short run commits them in one burst, and a NaN rate cannot pace anything).
   */
  double pacingRate() {
    return Double.isFinite(steadyRate) ? steadyRate : submitItemsPerSecond();
  }

  boolean complete() {
    return committed >= items;
  }
}
