package io.quasid.bench.streaming;

import io.quasid.bench.Flags;
import io.quasid.job.pipeline.ChurnPolicy;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Flags of the catalogue-growth benchmark.
 *
 * @param users users replayed (0 = all)
 * @param seeds model and training seeds 42, 43, ...
 * @param startFraction share of the distinct items the start model is fitted on
 * @param checkpoints measurement points after the start point (10 = every 10%)
 * @param offlineSteps steps of the offline recipe (start model and every retrain)
 * @param retrainEvery arm (d) refits at every this many measurement points (1 = every point)
 * @param recEpochs recommender epochs (0 = no recommender)
 * @param churnPolicy the job's {@code churn.policy} for arm (e)
 */
record GrowthSettings(
    Path out,
    boolean quick,
    int users,
    int seeds,
    double startFraction,
    int checkpoints,
    int offlineSteps,
    int retrainEvery,
    int recEpochs,
    ChurnPolicy churnPolicy,
    Dataset dataset) {

  /** The replayed dataset: its name in the report, and how many users it has in all. */
  enum Dataset {
    BEAUTY("Amazon Beauty", 22_363),
    SCIENTIFIC(
        "Amazon Scientific (features: TF-IDF + truncated SVD of the item text, 64-d)", 8_317);

    final String title;
    final int allUsers;

    Dataset(String title, int allUsers) {
      this.title = title;
      this.allUsers = allUsers;
    }
  }

  static final String USAGE =
      "flags: --out DIR --quick --users N --seeds N --start-fraction F --checkpoints N"
          + " --offline-steps N --retrain-every N --rec-epochs N (0 skips the recommender) --churn-policy P (arm e, default KEEP)"
          + " --dataset beauty|scientific";

  static GrowthSettings parse(String[] args) {
    Path out = Path.of("benchmarks", "results");
    boolean quick = false;
    Integer users = null;
    Integer seeds = null;
    double start = 0.25;
    int checkpoints = 10;
    Integer offline = null;
    Integer rec = null;
    int retrainEvery = 1;
    ChurnPolicy policy = ChurnPolicy.keep();
    Dataset dataset = Dataset.BEAUTY;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(value(args, ++i));
        case "--quick" -> quick = true;
        case "--users" -> users = Integer.parseInt(value(args, ++i));
        case "--seeds" -> seeds = Integer.parseInt(value(args, ++i));
        case "--start-fraction" -> start = Double.parseDouble(value(args, ++i));
        case "--checkpoints" -> checkpoints = Integer.parseInt(value(args, ++i));
        case "--offline-steps" -> offline = Integer.parseInt(value(args, ++i));
        case "--retrain-every" -> retrainEvery = Integer.parseInt(value(args, ++i));
        case "--rec-epochs" -> rec = Integer.parseInt(value(args, ++i));
        case "--churn-policy" -> policy = ChurnPolicy.parse(value(args, ++i));
        case "--dataset" -> dataset = Dataset.valueOf(value(args, ++i).toUpperCase(Locale.ROOT));
        default -> throw new IllegalArgumentException("unknown flag " + args[i] + "; " + USAGE);
      }
    }
    GrowthSettings s =
        new GrowthSettings(
            out,
            quick,
            users != null ? users : quick ? 800 : 0,
            seeds != null ? seeds : quick ? 1 : 3,
            start,
            checkpoints,
            offline != null ? offline : quick ? 30 : 1000,
            retrainEvery,
            rec != null ? rec : quick ? 1 : 3,
            policy,
            dataset);
    if (s.users < 0
        || s.seeds < 1
        || s.checkpoints < 1
        || s.offlineSteps < 0
        || s.recEpochs < 0
        || s.retrainEvery < 1) {
      throw new IllegalArgumentException("counts must be >= 0 (seeds, checkpoints >= 1); " + USAGE);
    }
    if (!(start > 0 && start < 1)) {
      throw new IllegalArgumentException("--start-fraction must be in (0, 1)");
    }
    return s;
  }

  /** Result file stem: quick runs never overwrite the committed report. */
  String stem() {
    String stem = quick ? "catalogue-growth-quick" : "catalogue-growth";
    return dataset == Dataset.BEAUTY ? stem : stem + "-" + dataset.name().toLowerCase(Locale.ROOT);
  }

  private static String value(String[] args, int i) {
    return Flags.value(args, i, USAGE);
  }
}
