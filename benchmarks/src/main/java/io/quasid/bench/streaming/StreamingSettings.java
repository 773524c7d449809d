package io.quasid.bench.streaming;

import io.quasid.bench.Flags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flags of the streaming benchmark. The defaults are the full run of issue 12 (1M items at 64-d);
 * {@code --quick} is a few-minute development run on 20k items.
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
    List<Map.Entry<String, String>> compareOptions) {

  static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);
  static final int PARALLELISM = 2;
  static final int KMEANS_SAMPLE = 20_000;

  static final String USAGE =
      "flags: --out DIR --quick --items N --items-768 N --interactions-per-item X"
          + " --latency-seconds S --latency-rate-fraction F --reencode-new-rate-fraction F"
          + " --no-training-768 --phase-timeout-minutes M --warm-up-seconds S --pass-through-runs N"
          + " --skip training-off-interactions,training-on,training-on-all,latency,reencode"
          + " --job-option KEY=VALUE (repeatable) --compare-option KEY=VALUE (repeatable)";

  /**
   * Phases after pass-through and training off, all run unless skipped: training off reading the
   * interaction stream, training on (with the job's default engagement budget), training on taking
   * every engagement, latency, re-encode.
   */
  static final Set<String> PHASES =
      Set.of("training-off-interactions", "training-on", "training-on-all", "latency", "reencode");

  static StreamingSettings parse(String[] args) {
    Path out = Path.of("benchmarks", "results");
    boolean quick = false;
    Long items = null;
    Long items768 = null;
    double interactionsPerItem = 1.0;
    Integer latencySeconds = null;
    double latencyFraction = 0.5;
    double newRateFraction = 0.1;
    boolean training768 = true;
    Duration timeout = Duration.ofMinutes(20);
    Integer warmUp = null;
    int passThroughRuns = 3;
    Set<String> skip = Set.of();
    Map<String, String> jobOptions = new LinkedHashMap<>();
    List<Map.Entry<String, String>> compareOptions = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(value(args, ++i));
        case "--quick" -> quick = true;
        case "--items" -> items = Long.parseLong(value(args, ++i));
        case "--items-768" -> items768 = Long.parseLong(value(args, ++i));
        case "--interactions-per-item" ->
            interactionsPerItem = Double.parseDouble(value(args, ++i));
        case "--latency-seconds" -> latencySeconds = Integer.parseInt(value(args, ++i));
        case "--latency-rate-fraction" -> latencyFraction = Double.parseDouble(value(args, ++i));
        case "--reencode-new-rate-fraction" ->
            newRateFraction = Double.parseDouble(value(args, ++i));
        case "--no-training-768" -> training768 = false;
        case "--phase-timeout-minutes" ->
            timeout = Duration.ofMinutes(Long.parseLong(value(args, ++i)));
        case "--warm-up-seconds" -> warmUp = Integer.parseInt(value(args, ++i));
        case "--pass-through-runs" -> passThroughRuns = Integer.parseInt(value(args, ++i));
        case "--skip" -> skip = Set.of(value(args, ++i).split(","));
        case "--job-option" -> {
          Map.Entry<String, String> option = keyValue(value(args, ++i));
          jobOptions.put(option.getKey(), option.getValue());
        }
        case "--compare-option" -> compareOptions.add(keyValue(value(args, ++i)));
        default -> throw new IllegalArgumentException("unknown flag " + args[i] + "; " + USAGE);
      }
    }
    StreamingSettings s =
        new StreamingSettings(
            out,
            quick,
            items != null ? items : quick ? 20_000 : 1_000_000,
            items768 != null ? items768 : quick ? 5_000 : 100_000,
            interactionsPerItem,
            latencySeconds != null ? latencySeconds : quick ? 15 : 60,
            latencyFraction,
            newRateFraction,
            training768,
            timeout,
            warmUp != null ? warmUp : quick ? 10 : 90,
            passThroughRuns,
            skip,
            Map.copyOf(jobOptions),
            List.copyOf(compareOptions));
    if (!PHASES.containsAll(skip)) {
      throw new IllegalArgumentException("--skip takes " + PHASES + ", got " + skip);
    }
    if (s.items < 1000) {
      throw new IllegalArgumentException("--items must be >= 1000");
    }
    if (s.passThroughRuns < 1) {
      throw new IllegalArgumentException("--pass-through-runs must be >= 1");
    }
    if (s.warmUpSeconds < 0) {
      throw new IllegalArgumentException("--warm-up-seconds must be >= 0");
    }
    if (!(latencyFraction > 0 && latencyFraction <= 1)
        || !(newRateFraction > 0 && newRateFraction <= 1)) {
      throw new IllegalArgumentException("rate fractions must be in (0, 1]");
    }
    return s;
  }

  boolean runs(String phase) {
    return !skip.contains(phase);
  }

  /** Result file names: quick runs never overwrite the full run's. */
  String fileStem() {
    return quick ? "streaming-quick" : "streaming";
  }

  private static Map.Entry<String, String> keyValue(String flag) {
    int eq = flag.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("expected KEY=VALUE, got '" + flag + "'; " + USAGE);
    }
    return Map.entry(flag.substring(0, eq), flag.substring(eq + 1));
  }

  private static String value(String[] args, int i) {
    return Flags.value(args, i, USAGE);
  }
}
