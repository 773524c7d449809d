package io.quasid.bench.streaming;

import io.quasid.bench.BenchmarkCommandLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.MemorySize;

/**
 * Settings of the streaming benchmark, made from its flags by {@link StreamingFlags}. The defaults
 * are the full run of issue 12 (1M items at 64-d); {@code --quick} is a few-minute development run
 * on 20k items.
 *
 * @param items catalogue size at 64-d (pass-through, training off and on, re-encode)
 * @param items768 catalogue size at 768-d (0: skip the 768-d runs)
 * @param interactionsPerItem interactions published per catalogue item for the training-on runs
 * @param latencySeconds length of the rate-limited latency run
 * @param latencyRateFraction its rate as a fraction of the training-off items/s of this run
 * @param reencodeNewRateFraction rate of new items during the re-encode, same reference
 * @param training768 whether the 768-d catalogue also gets a training-on run
 * @param phaseTimeout longest wait for any one phase
 * @param warmUpSeconds how long a discarded job runs before the first measured one (0: none)
 * @param passThroughRuns pass-through jobs per dimension; the median is the baseline (a warm
 *     pass-through reads 1M items in a few checkpoint intervals, so one run is a coarse measure)
 * @param skip phases left out: {@code training-on}, {@code latency}, {@code reencode} (targeted
 *     re-runs; a full run skips nothing)
 * @param jobOptions job options ({@code --job-option key=value}) set on every QuaSID job of the run
 * @param compareOptions one more training-on run per entry ({@code --compare-option key=value}),
 *     with that option on top: an A/B of a setting in the same run, against the same baseline
 * @param managedMemory the local TaskManager's managed memory (RocksDB's block cache and write
 *     buffers, shared by the slots): by default what {@code ops/k8s/flink-deployment.yaml} gives a
 *     TaskManager, not the 128 MiB a local run gets unless told
 * @param flinkOptions Flink settings ({@code --flink-option key=value}) laid over every job's
 *     configuration, pass-through included: they override the job's own settings too, those it
 *     forces on a cluster among them, so they are for tuning keys (RocksDB's, say), not for the
 *     job's guarantees
 */
record StreamingSettings(
    Path out,
    boolean quick,
    long items,
    long items768,
    double interactionsPerItem,
    int latencySeconds,
    double latencyRateFraction,
    double reencodeNewRateFraction,
    boolean training768,
    Duration phaseTimeout,
    int warmUpSeconds,
    int passThroughRuns,
    Set<String> skip,
    Map<String, String> jobOptions,
    List<Map.Entry<String, String>> compareOptions,
    MemorySize managedMemory,
    Map<String, String> flinkOptions) {

  /**
   * Managed memory of the deployment's TaskManager (ops/k8s/flink-deployment.yaml: 40% of its Flink
   * memory of its 8192m process, 2 slots), as Flink derives it: see StreamingSettingsTest.
   */
  static final MemorySize DEPLOYED_MANAGED_MEMORY = new MemorySize(2_985_002_310L); // ~2847m

  static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);
  static final int PARALLELISM = 2;
  static final int KMEANS_SAMPLE = 20_000;

  /**
   * Phases after pass-through and training off, all run unless skipped: training off reading the
   * interaction stream, training on (with the job's default engagement budget), training on taking
   * every engagement, latency, re-encode.
   */
  static final Set<String> PHASES =
      Set.of("training-off-interactions", "training-on", "training-on-all", "latency", "reencode");

  /**
   * The settings {@code args} give.
   *
   * @throws IllegalArgumentException for an unknown flag, a missing or refused value, or {@code
   *     --help} (the message is the usage)
   */
  static StreamingSettings parse(String[] args) {
    return BenchmarkCommandLine.settings(new StreamingFlags(), args);
  }

  boolean runs(String phase) {
    return !skip.contains(phase);
  }

  /** Result file names: quick runs never overwrite the full run's. */
  String fileStem() {
    return quick ? "streaming-quick" : "streaming";
  }
}
