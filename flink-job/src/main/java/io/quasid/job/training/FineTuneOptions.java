package io.quasid.job.training;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * How a fine-tune starts and how far it may drift: the warm start, its learning rates, and the
 * anchoring to the live version.
 */
public final class FineTuneOptions {

  public static final ConfigOption<String> WARM_START =
      ConfigOptions.key("training.warm-start")
          .stringType()
          .noDefaultValue()
          // The assigner starts from model.snapshot / model.saved-model and ignores versions not
          // above it, so by default the trainer starts from the same model.
          .withFallbackKeys("model.snapshot", "model.saved-model")
          .withDescription(
              "Snapshot file or SavedModel directory to start from when no checkpoint exists; "
                  + "defaults to the job's model.snapshot, then model.saved-model.");
  public static final ConfigOption<Double> ANCHOR_LATENT_WEIGHT =
      ConfigOptions.key("training.anchor.latent-weight")
          .doubleType()
          .defaultValue(0.0)
          .withDescription(
              "Weight of the latent anchoring term: the encoder output of every item the live"
                  + " version placed (an item whose latest event is not newer than the live"
                  + " version) is pulled toward the live encoder's output for it, so fine-tuning"
                  + " moves known items only as much as the data asks. New items, changed items and"
                  + " co-engagement pairs stay free. 0 (the default): off. See TRAINING.md for the"
                  + " measured effect.");
  public static final ConfigOption<Double> ANCHOR_CODEBOOK_WEIGHT =
      ConfigOptions.key("training.anchor.codebook-weight")
          .doubleType()
          .defaultValue(0.0)
          .withDescription(
              "Weight of the codebook anchoring term: codebook rows that hold items of the"
                  + " catalogue sample under the live version are pulled toward their live values,"
                  + " and are never reseeded as dead codes. 0 (the default): off.");
  public static final ConfigOption<Double> FINE_TUNE_LEARNING_RATE =
      ConfigOptions.key("training.fine-tune.learning-rate")
          .doubleType()
          .noDefaultValue()
          .withDescription(
              "Adam rate of encoder and decoder when continuing from a warm start (default: the"
                  + " warm start's own, the from-scratch 1e-3, whose steps let drift accumulate).");
  public static final ConfigOption<Double> FINE_TUNE_CODEBOOK_LEARNING_RATE =
      ConfigOptions.key("training.fine-tune.codebook-learning-rate")
          .doubleType()
          .noDefaultValue()
          .withDescription(
              "Adam rate of the codebooks when continuing from a warm start (default: the warm"
                  + " start's own, the from-scratch 1e-2).");

  private FineTuneOptions() {}
}
