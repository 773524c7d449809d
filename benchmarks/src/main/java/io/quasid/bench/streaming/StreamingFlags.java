package io.quasid.bench.streaming;

import static io.quasid.bench.BenchmarkFlags.require;

import io.quasid.bench.BenchmarkFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.MemorySize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The flags of {@link StreamingBenchmark}, and the {@link StreamingSettings} they make. The
 * defaults are the full run of issue 12; {@code --quick} shrinks what a flag does not set.
 */
@Command(
    name = "StreamingBenchmark",
    sortOptions = false,
    description = {
      "Pass-through job vs the QuaSID job (training off and on, latency, re-encode) on the"
          + " embedded broker and a local MiniCluster; writes streaming.md and"
          + " streaming-throughput.png.",
      "The defaults are the full run of issue 12 (1M items at 64-d, 100k at 768-d); --quick is a"
          + " few-minute development run on 20k items that writes streaming-quick.* instead."
    })
final class StreamingFlags implements BenchmarkFlags<StreamingSettings> {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where the report and PNG go (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("benchmarks", "results");

  @Option(
      names = "--quick",
      description = "Development run: 20k / 5k items, 15 s latency run, 10 s warm-up.")
  boolean quick;

  @Option(
      names = "--items",
      paramLabel = "N",
      description =
          "Catalogue size at 64-d, >= 1000 (pass-through, training off and on, re-encode)"
              + " (default: 1000000; 20000 with --quick).")
  Long items;

  @Option(
      names = "--items-768",
      paramLabel = "N",
      description =
          "Catalogue size at 768-d; 0 skips the 768-d runs (default: 100000; 5000 with --quick).")
  Long items768;

  @Option(
      names = "--interactions-per-item",
      paramLabel = "X",
      description =
          "Interactions published per catalogue item for the training-on runs"
              + " (default: ${DEFAULT-VALUE}).")
  double interactionsPerItem = 1.0;

  @Option(
      names = "--latency-seconds",
      paramLabel = "S",
      description = "Length of the rate-limited latency run (default: 60; 15 with --quick).")
  Integer latencySeconds;

  @Option(
      names = "--latency-rate-fraction",
      paramLabel = "F",
      description =
          "Rate of the latency run as a fraction of this run's training-off items/s, in (0, 1]"
              + " (default: ${DEFAULT-VALUE}).")
  double latencyRateFraction = 0.5;

  @Option(
      names = "--reencode-new-rate-fraction",
      paramLabel = "F",
      description =
          "Rate of new items during the re-encode, same reference, in (0, 1]"
              + " (default: ${DEFAULT-VALUE}).")
  double reencodeNewRateFraction = 0.1;

  @Option(names = "--no-training-768", description = "No training-on run for the 768-d catalogue.")
  boolean noTraining768;

  @Option(
      names = "--phase-timeout-minutes",
      paramLabel = "M",
      description = "Longest wait for any one phase (default: ${DEFAULT-VALUE}).")
  long phaseTimeoutMinutes = 20;

  @Option(
      names = "--warm-up-seconds",
      paramLabel = "S",
      description =
          "A QuaSID job run and discarded before the first measured one; 0 = none (default: 90;"
              + " 10 with --quick).")
  Integer warmUpSeconds;

  @Option(
      names = "--pass-through-runs",
      paramLabel = "N",
      description =
          "Pass-through jobs per dimension; the median with a steady rate is the baseline"
              + " (default: ${DEFAULT-VALUE}).")
  int passThroughRuns = 3;

  @Option(
      names = "--skip",
      paramLabel = "LIST",
      description =
          "Phases left out, comma-separated, of training-off-interactions, training-on,"
              + " training-on-all, latency, reencode (default: none).")
  String skip;

  @Option(
      names = "--job-option",
      paramLabel = "KEY=VALUE",
      description = "A job option set on every QuaSID job of the run (repeatable).")
  List<String> jobOptions = new ArrayList<>();

  @Option(
      names = "--compare-option",
      paramLabel = "KEY=VALUE",
      description =
          "One more training-on run with this job option on top: an A/B against the same"
              + " baseline in the same run (repeatable).")
  List<String> compareOptions = new ArrayList<>();

  @Option(
      names = "--managed-memory",
      paramLabel = "SIZE",
      description =
          "Managed memory of the local TaskManager, shared by its slots (RocksDB's block cache and"
              + " write buffers), e.g. 128m, the size a local run gets unless told (default: what"
              + " ops/k8s gives a TaskManager, 2847m).")
  String managedMemory;

  @Option(
      names = "--flink-option",
      paramLabel = "KEY=VALUE",
      description =
          "A Flink setting laid over every job of the run (pass-through included), overriding"
              + " the job's own, e.g. state.backend.rocksdb.compaction.style=UNIVERSAL"
              + " (repeatable).")
  List<String> flinkOptions = new ArrayList<>();

  @Override
  public StreamingSettings settings() {
    Map<String, String> job = keyValues("--job-option", jobOptions);
    Map<String, String> flink = keyValues("--flink-option", flinkOptions);
    List<Map.Entry<String, String>> compare = new ArrayList<>();
    for (String option : compareOptions) {
      compare.add(keyValue("--compare-option", option));
    }
    Set<String> skipped = skip == null ? Set.of() : Set.copyOf(Arrays.asList(skip.split(",")));
    StreamingSettings s =
        new StreamingSettings(
            out,
            quick,
            items != null ? items : quick ? 20_000 : 1_000_000,
            items768 != null ? items768 : quick ? 5_000 : 100_000,
            interactionsPerItem,
            latencySeconds != null ? latencySeconds : quick ? 15 : 60,
            latencyRateFraction,
            reencodeNewRateFraction,
            !noTraining768,
            Duration.ofMinutes(phaseTimeoutMinutes),
            warmUpSeconds != null ? warmUpSeconds : quick ? 10 : 90,
            passThroughRuns,
            skipped,
            Map.copyOf(job),
            List.copyOf(compare),
            managedMemory == null
                ? StreamingSettings.DEPLOYED_MANAGED_MEMORY
                : MemorySize.parse(managedMemory),
            Collections.unmodifiableMap(flink));
    require(
        StreamingSettings.PHASES.containsAll(skipped),
        "--skip takes " + StreamingSettings.PHASES + ", got " + skipped);
    require(s.items() >= 1000, "--items must be >= 1000");
    require(s.passThroughRuns() >= 1, "--pass-through-runs must be >= 1");
    require(s.warmUpSeconds() >= 0, "--warm-up-seconds must be >= 0");
    require(
        latencyRateFraction > 0 && latencyRateFraction <= 1,
        "--latency-rate-fraction must be in (0, 1]");
    require(
        reencodeNewRateFraction > 0 && reencodeNewRateFraction <= 1,
        "--reencode-new-rate-fraction must be in (0, 1]");
    return s;
  }

  /** Each of a repeatable flag's KEY=VALUE options, in the order given; a repeated key's last. */
  private static Map<String, String> keyValues(String flag, List<String> options) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String option : options) {
      Map.Entry<String, String> entry = keyValue(flag, option);
      map.put(entry.getKey(), entry.getValue());
    }
    return map;
  }

  private static Map.Entry<String, String> keyValue(String flag, String option) {
    int eq = option.indexOf('=');
    require(eq > 0, flag + " takes KEY=VALUE, got '" + option + "'");
    return Map.entry(option.substring(0, eq), option.substring(eq + 1));
  }
}
