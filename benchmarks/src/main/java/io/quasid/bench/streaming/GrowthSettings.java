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
 * @param churnPolicy the job's {@code churn.policy} for arms (e) and (g)
 * @param anchorWeight {@code training.anchor.latent-weight} and {@code codebook-weight} of arms (f)
 *     and (g)
 * @param fineTuneRate {@code training.fine-tune.learning-rate} of arms (f) and (g) (the codebooks'
 *     rate is ten times it, as from scratch), or 0 for the warm start's own
 * @param arms the arms to run, by letter; (a) always runs (every arm is compared with it)
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
    Dataset dataset,
    double anchorWeight,
    double fineTuneRate,
    String arms) {

  boolean runs(GrowthArm arm) {
    return arm == GrowthArm.FROZEN || arms.indexOf(arm.letter()) >= 0;
  }

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
          + " --offline-steps N --retrain-every N --rec-epochs N (0 skips the recommender) --churn-policy P (arms e and g, default KEEP)"
          + " --dataset beauty|scientific --anchor W (arms f and g, default 10) --fine-tune-lr R"
          + " (arms f and g, default the warm start's) --arms abcdefg";

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
    double anchor = 10;
    double fineTuneRate = 0;
    String arms = "abcdefg";
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
        case "--anchor" -> anchor = Double.parseDouble(value(args, ++i));
        case "--fine-tune-lr" -> fineTuneRate = Double.parseDouble(value(args, ++i));
        case "--arms" -> arms = value(args, ++i).toLowerCase(Locale.ROOT);
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
            dataset,
            anchor,
            fineTuneRate,
            arms);
    if (s.users < 0
        || s.seeds < 1
        || s.checkpoints < 1
        || s.offlineSteps < 0
        || s.recEpochs < 0
        || s.retrainEvery < 1) {
      throw new IllegalArgumentException("counts must be >= 0 (seeds, checkpoints >= 1); " + USAGE);
    }
    if (!(anchor > 0) || fineTuneRate < 0) {
      throw new IllegalArgumentException("--anchor must be > 0, --fine-tune-lr >= 0; " + USAGE);
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
