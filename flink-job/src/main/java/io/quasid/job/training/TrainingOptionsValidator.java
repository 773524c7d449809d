package io.quasid.job.training;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * The checks behind {@link TrainingOptions#validate()}, in one sequence so that the first bad key
 * is the one reported.
 */
final class TrainingOptionsValidator {

  private final TrainingOptions options;

  TrainingOptionsValidator(TrainingOptions options) {
    this.options = options;
  }

  /** Fails fast with a message naming the offending key. */
  void validate() {
    positive(PairOptions.HISTORY_SIZE);
    positive(PairOptions.PAIR_WINDOW_SIZE);
    positive(PairOptions.MAX_PAIRS_PER_EVENT);
    positive(PairOptions.POPULAR_TARGET_THRESHOLD);
    positive(BatchOptions.BATCH_SIZE);
    positive(BatchOptions.NEW_ROWS_PER_STEP);
    positive(BatchOptions.CATALOGUE_CAPACITY);
    positive(BatchOptions.REPLAY_CAPACITY);
    positive(BatchOptions.HELD_OUT_CAPACITY);
    positive(BatchOptions.INIT_MIN_ROWS);
    require(options.publishEverySteps() >= 0, PublishOptions.PUBLISH_EVERY_STEPS, "must be >= 0");
    require(
        options.anchorLatentWeight() >= 0, FineTuneOptions.ANCHOR_LATENT_WEIGHT, "must be >= 0");
    require(
        options.anchorCodebookWeight() >= 0,
        FineTuneOptions.ANCHOR_CODEBOOK_WEIGHT,
        "must be >= 0");
    options
        .passed(FineTuneOptions.FINE_TUNE_LEARNING_RATE)
        .ifPresent(r -> require(r > 0, FineTuneOptions.FINE_TUNE_LEARNING_RATE, "must be > 0"));
    options
        .passed(FineTuneOptions.FINE_TUNE_CODEBOOK_LEARNING_RATE)
        .ifPresent(
            r -> require(r > 0, FineTuneOptions.FINE_TUNE_CODEBOOK_LEARNING_RATE, "must be > 0"));
    require(
        options.maxEngagementsPerSecond() >= 0
            && Double.isFinite(options.maxEngagementsPerSecond()),
        PairOptions.MAX_ENGAGEMENTS_PER_SECOND,
        "must be >= 0 (0 = no limit)");
    require(
        options.get(TrainingOptions.INTRA_OP_THREADS) >= 0,
        TrainingOptions.INTRA_OP_THREADS,
        "must be >= 0");
    require(
        options.get(TrainingOptions.INTER_OP_THREADS) >= 0,
        TrainingOptions.INTER_OP_THREADS,
        "must be >= 0");
    require(
        !options.slotSharingGroup().isBlank(),
        TrainingOptions.SLOT_SHARING_GROUP,
        "must not be empty");
    require(
        options.pairWindowSize() <= options.historySize(),
        PairOptions.PAIR_WINDOW_SIZE,
        "must be <= " + PairOptions.HISTORY_SIZE.key());
    require(
        options.newRowsPerStep() <= options.batchSize(),
        BatchOptions.NEW_ROWS_PER_STEP,
        "must be <= " + BatchOptions.BATCH_SIZE.key());
    require(
        options.catalogueShare() >= 0 && options.catalogueShare() < 1,
        BatchOptions.CATALOGUE_SHARE,
        "must be in [0, 1): a batch needs its new rows");
    require(
        options.newRowsPerStep() + options.catalogueRowsPerStep() <= options.batchSize(),
        BatchOptions.CATALOGUE_SHARE,
        "leaves no room for "
            + BatchOptions.NEW_ROWS_PER_STEP.key()
            + " in "
            + BatchOptions.BATCH_SIZE.key()
            + " (new rows + share x batch must be <= batch)");
    require(
        options.initMinRows() >= options.model().codebookSize(),
        BatchOptions.INIT_MIN_ROWS,
        "must be >= the codebook size " + options.model().codebookSize() + " for k-means");
    require(
        options.replayCapacity() >= options.initMinRows(),
        BatchOptions.REPLAY_CAPACITY,
        "must be >= " + BatchOptions.INIT_MIN_ROWS.key());
    require(
        options.heldOutFraction() > 0 && options.heldOutFraction() <= 1,
        BatchOptions.HELD_OUT_FRACTION,
        "must be in (0, 1]: the gate needs a sample");
    require(
        options.collisionTolerance() >= -1 && options.collisionTolerance() <= 1,
        PublishOptions.COLLISION_TOLERANCE,
        "must be in [-1, 1]");
    require(
        options.coherenceTolerance() >= 0 && options.coherenceTolerance() <= 1,
        PublishOptions.COHERENCE_TOLERANCE,
        "must be in [0, 1]");
    require(
        options.churnBudget() >= 0 && options.churnBudget() <= 1,
        PublishOptions.CHURN_BUDGET,
        "must be in [0, 1]");
    require(options.gatePairs() >= 0, PublishOptions.GATE_PAIRS, "must be >= 0");
    nonNegative(PairOptions.HISTORY_TTL, options.historyTtl());
    nonNegative(PairOptions.POPULARITY_TTL, options.popularityTtl());
    nonNegative(PairOptions.PAIR_WINDOW_TIME, options.pairWindowTime());
    nonNegative(PublishOptions.PUBLISH_INTERVAL, options.publishInterval());
    require(
        options.maxStepsPerSecond() >= 0 && Double.isFinite(options.maxStepsPerSecond()),
        BatchOptions.MAX_STEPS_PER_SECOND,
        "must be a finite number >= 0");
    require(
        !options.historyTtl().isZero() && !options.popularityTtl().isZero(),
        PairOptions.HISTORY_TTL,
        "TTLs must be > 0 (state would never expire otherwise)");
    require(
        options.publishEverySteps() > 0 || !options.publishInterval().isZero(),
        PublishOptions.PUBLISH_EVERY_STEPS,
        "and "
            + PublishOptions.PUBLISH_INTERVAL.key()
            + " are both 0: nothing would ever be published");
  }

  private void positive(ConfigOption<Integer> option) {
    require(options.get(option) > 0, option, "must be > 0");
  }

  private void nonNegative(ConfigOption<Duration> option, Duration value) {
    require(!value.isNegative(), option, "must not be negative");
  }

  private void require(boolean ok, ConfigOption<?> option, String message) {
    if (!ok) {
      throw new IllegalArgumentException(
          option.key() + " " + message + " (got " + options.get(option) + ")");
    }
  }
}
