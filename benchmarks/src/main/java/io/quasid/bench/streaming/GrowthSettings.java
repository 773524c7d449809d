package io.quasid.bench.streaming;

import io.quasid.bench.BenchmarkCommandLine;
import io.quasid.job.pipeline.ChurnPolicy;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Settings of the catalogue-growth benchmark, made from its flags by {@link GrowthFlags}.
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
 * @param budgetRank how arms (e) and (g) rank the movers under a {@code BUDGET} policy
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
    String arms,
    AssignedCodes.BudgetRank budgetRank) {

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

  /**
   * The settings {@code args} give.
   *
   * @throws IllegalArgumentException for an unknown flag, a missing or refused value, or {@code
   *     --help} (the message is the usage)
   */
  static GrowthSettings parse(String[] args) {
    return BenchmarkCommandLine.settings(new GrowthFlags(), args);
  }

  /** Result file stem: quick runs never overwrite the committed report. */
  String stem() {
    String stem = quick ? "catalogue-growth-quick" : "catalogue-growth";
    return dataset == Dataset.BEAUTY ? stem : stem + "-" + dataset.name().toLowerCase(Locale.ROOT);
  }
}
