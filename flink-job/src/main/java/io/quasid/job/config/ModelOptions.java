package io.quasid.job.config;

import io.quasid.model.QuasidConfig;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The initial tokenizer (loaded or seeded) and where it runs. */
public final class ModelOptions {

  public static final ConfigOption<String> MODEL_SNAPSHOT =
      ConfigOptions.key("model.snapshot")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "QuasidModel snapshot file for the initial tokenizer (readable by every task"
                  + " manager).");
  public static final ConfigOption<String> MODEL_SAVED_MODEL =
      ConfigOptions.key("model.saved-model")
          .stringType()
          .noDefaultValue()
          .withDescription("SavedModel directory for the initial tokenizer (if no snapshot).");
  public static final ConfigOption<Integer> MODEL_LEVELS =
      ConfigOptions.key("model.levels")
          .intType()
          .defaultValue(3)
          .withDescription("Codes per SID (seeded model only; a loaded model brings its own).");
  public static final ConfigOption<Integer> MODEL_CODEBOOK_SIZE =
      ConfigOptions.key("model.codebook-size")
          .intType()
          .defaultValue(256)
          .withDescription("Codebook size per level (seeded model only).");
  public static final ConfigOption<Integer> MODEL_LATENT_DIM =
      ConfigOptions.key("model.latent-dim")
          .intType()
          .defaultValue(32)
          .withDescription("Latent dimension (seeded model only).");
  public static final ConfigOption<String> MODEL_ENCODER_HIDDEN =
      ConfigOptions.key("model.encoder-hidden")
          .stringType()
          .defaultValue("512,256,128")
          .withDescription("Encoder hidden layer sizes, comma-separated (seeded model only).");
  public static final ConfigOption<Long> MODEL_SEED =
      ConfigOptions.key("model.seed")
          .longType()
          .defaultValue(42L)
          .withDescription("Seed of the deterministic initial weights (seeded model only).");
  public static final ConfigOption<Double> MODEL_LEARNING_RATE =
      ConfigOptions.key("model.learning-rate")
          .doubleType()
          .defaultValue(1e-3)
          .withDescription(
              "Adam learning rate of the encoder and decoder when training (seeded model only).");
  public static final ConfigOption<Double> MODEL_CODEBOOK_LEARNING_RATE =
      ConfigOptions.key("model.codebook-learning-rate")
          .doubleType()
          .defaultValue(1e-2)
          .withDescription(
              "Adam learning rate of the codebooks (seeded model only). Faster than the encoder's"
                  + " so the codes follow the encoder while it trains; at the encoder's rate the"
                  + " catalogue's collision rate climbs for hundreds of steps (see TRAINING.md).");
  public static final ConfigOption<QuasidConfig.LossScale> MODEL_LOSS_SCALE =
      ConfigOptions.key("model.loss-scale")
          .enumType(QuasidConfig.LossScale.class)
          .defaultValue(QuasidConfig.LossScale.ROW_SUM)
          .withDescription(
              "How reconstruction and quantisation losses are reduced (seeded model only):"
                  + " ROW_SUM (per row, summed over dimensions and levels) or ELEMENT_MEAN (mean"
                  + " over rows and dimensions, levels averaged, as the reference"
                  + " implementations), which gives repulsion and contrastive terms far more"
                  + " weight (measured: benchmarks/results/quality-notes.md, 2026-12-07).");
  public static final ConfigOption<Boolean> MODEL_DETACH_DEEP_RESIDUALS =
      ConfigOptions.key("model.detach-deep-residuals")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Only the first level's commitment term trains the encoder; deeper levels train"
                  + " their codebooks alone, as the reference implementations (seeded model only).");
  public static final ConfigOption<QuasidConfig.ContrastiveNegatives> MODEL_CONTRASTIVE_NEGATIVES =
      ConfigOptions.key("model.contrastive-negatives")
          .enumType(QuasidConfig.ContrastiveNegatives.class)
          .defaultValue(QuasidConfig.ContrastiveNegatives.PAIRS)
          .withDescription(
              "What a co-engaged pair is contrasted against in training (seeded model only):"
                  + " PAIRS (the batch's other pairs) or BATCH (every other item of the batch).");
  public static final ConfigOption<String> MODEL_DEVICE =
      ConfigOptions.key("model.device")
          .stringType()
          .defaultValue("/cpu:0")
          .withDescription("TensorFlow device, e.g. /cpu:0 or /gpu:0 (gpu build only).");
  public static final ConfigOption<Integer> MODEL_INTRA_OP_THREADS =
      ConfigOptions.key("model.intra-op-threads")
          .intType()
          .defaultValue(1)
          .withDescription("TensorFlow intra-op threads per model instance.");
  public static final ConfigOption<Integer> MODEL_INTER_OP_THREADS =
      ConfigOptions.key("model.inter-op-threads")
          .intType()
          .defaultValue(2)
          .withDescription("TensorFlow inter-op threads per model instance.");

  private ModelOptions() {}
}
