package io.quasid.job.training;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * What a training step is made of: batch size, new and replayed rows, the catalogue share, the
 * held-out sample, and the step rate.
 */
public final class BatchOptions {

  public static final ConfigOption<Integer> BATCH_SIZE =
      ConfigOptions.key("training.batch-size")
          .intType()
          .defaultValue(256)
          .withDescription("Rows per training step (an item is one row, a pair two).");
  public static final ConfigOption<Integer> NEW_ROWS_PER_STEP =
      ConfigOptions.key("training.new-rows-per-step")
          .intType()
          .defaultValue(128)
          .withDescription(
              "New rows that trigger a step; the rest of the batch is drawn from the catalogue"
                  + " sample and the replay buffer.");
  public static final ConfigOption<Double> CATALOGUE_SHARE =
      ConfigOptions.key("training.catalogue-share")
          .doubleType()
          .defaultValue(0.5)
          .withDescription(
              "Share of each batch's rows drawn uniformly from the catalogue sample. Interactions"
                  + " come mostly from popular items; trained on them alone the tokenizer spends"
                  + " its codes on the head and the long tail collides (see TRAINING.md).");
  public static final ConfigOption<Integer> CATALOGUE_CAPACITY =
      ConfigOptions.key("training.catalogue-capacity")
          .intType()
          .defaultValue(10_000)
          .withDescription("Distinct items in the seeded catalogue sample that batches draw from.");
  public static final ConfigOption<Integer> REPLAY_CAPACITY =
      ConfigOptions.key("training.replay-capacity")
          .intType()
          .defaultValue(10_000)
          .withDescription("Examples in the seeded reservoir that smooths bursty streams.");
  public static final ConfigOption<Integer> HELD_OUT_CAPACITY =
      ConfigOptions.key("training.held-out-capacity")
          .intType()
          .defaultValue(10_000)
          .withDescription(
              "Items in the sample on which the quality gate measures collisions. Keep it large:"
                  + " a sample of n of N items sees about (n/N)^2 of the catalogue's colliding"
                  + " pairs, so a small one compares a handful of collisions (see TRAINING.md).");
  public static final ConfigOption<Double> HELD_OUT_FRACTION =
      ConfigOptions.key("training.held-out-fraction")
          .doubleType()
          .defaultValue(1.0)
          .withDescription(
              "Share of item ids (by seeded hash) in the quality gate's sample, up to"
                  + " training.held-out-capacity items; they are trained like all others. 1.0"
                  + " makes the gate measure the whole catalogue when it fits the capacity.");
  public static final ConfigOption<Integer> INIT_MIN_ROWS =
      ConfigOptions.key("training.init-min-rows")
          .intType()
          .defaultValue(1024)
          .withDescription("Buffered rows needed before the k-means codebook initialisation.");
  public static final ConfigOption<Double> MAX_STEPS_PER_SECOND =
      ConfigOptions.key("training.max-steps-per-second")
          .doubleType()
          .defaultValue(5.0)
          .withDescription(
              "Step budget of the trainer (0 = unlimited). Items and pairs share upstream operators "
                  + "with SID assignment, so a trainer slower than the stream would backpressure "
                  + "assignment; rows arriving faster than the budget go into the replay reservoir "
                  + "(a uniform sample of the stream) instead of triggering a step. Raise it on a GPU.");

  private BatchOptions() {}
}
