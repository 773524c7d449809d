package io.quasid.job.config;

import io.quasid.job.text.SentenceEncoder;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Items described by text: which features the job encodes, and the embedding stage that turns an
 * item's title, brand, categories and description into a vector with an in-process sentence encoder
 * ({@value SentenceEncoder#NAME}, {@value SentenceEncoder#DIMENSION}-d).
 */
public final class TextOptions {

  public static final ConfigOption<FeatureSource> FEATURE_SOURCE =
      ConfigOptions.key("features.source")
          .enumType(FeatureSource.class)
          .defaultValue(FeatureSource.VECTOR)
          .withDescription(
              "vector: encode the event's feature vector (text ignored). text: embed the event's"
                  + " text with the in-process sentence encoder ("
                  + SentenceEncoder.NAME
                  + ", "
                  + SentenceEncoder.DIMENSION
                  + "-d; vector.dim must match). vector_or_text: the vector when present, else"
                  + " the text. An upsert with neither is dead-lettered.");
  public static final ConfigOption<Integer> MAX_CHARS =
      ConfigOptions.key("text.max-chars")
          .intType()
          .defaultValue(2000)
          .withDescription(
              "Longer item texts are cut to this many characters (metric textTruncated). The"
                  + " encoder splits long texts into 510-token windows and averages them, so the"
                  + " cut bounds its cost per item.");
  public static final ConfigOption<Integer> BATCH_SIZE =
      ConfigOptions.key("text.batch-size")
          .intType()
          .defaultValue(32)
          .withDescription(
              "Texts handed to the stage's worker at once (embedded one after another on it: the"
                  + " encoder has no batched inference).");
  public static final ConfigOption<Duration> BATCH_WAIT =
      ConfigOptions.key("text.batch-wait")
          .durationType()
          .defaultValue(Duration.ofMillis(10))
          .withDescription("How long a batch of texts waits to fill.");
  public static final ConfigOption<Integer> CAPACITY =
      ConfigOptions.key("text.capacity")
          .intType()
          .defaultValue(256)
          .withDescription(
              "Item events in flight in the embedding stage per subtask (its async capacity);"
                  + " they are part of every checkpoint.");
  public static final ConfigOption<Duration> TIMEOUT =
      ConfigOptions.key("text.timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription(
              "An embedding that takes longer fails the task (it restarts from the last"
                  + " checkpoint): the stage cannot stall checkpoints for longer. A timeout says"
                  + " the encoder is slow, not that the text is bad, so it never dead-letters;"
                  + " a text the encoder throws on is dead-lettered (INVALID) and the rest of its"
                  + " batch embedded.");
  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("text.parallelism")
          .intType()
          .noDefaultValue()
          .withDescription(
              "Parallelism of the embedding stage (its own slot-sharing group, 'text'); the job's"
                  + " by default.");

  public static final ConfigOption<Integer> INTRA_OP_THREADS =
      ConfigOptions.key("text.intra-op-threads")
          .intType()
          .defaultValue(0)
          .withDescription(
              "ONNX Runtime threads inside one embedding call, per embedding subtask. 0 = ONNX"
                  + " Runtime's default, a thread per core that spins while idle: the fastest"
                  + " setting measured on 2 cores, alone and in the job (text-mode benchmark)."
                  + " A positive number caps the threads, which then sleep while idle: with 1"
                  + " the stage uses at most text.parallelism cores, for a box it shares.");

  private TextOptions() {}

  static void validate(QuasidJobOptions options) {
    if (options.get(FEATURE_SOURCE) != FeatureSource.VECTOR
        && options.get(InputOptions.VECTOR_DIM) != SentenceEncoder.DIMENSION) {
      throw new IllegalArgumentException(
          FEATURE_SOURCE.key()
              + " = "
              + options.get(FEATURE_SOURCE).name().toLowerCase()
              + " embeds text into "
              + SentenceEncoder.DIMENSION
              + " dimensions: set "
              + InputOptions.VECTOR_DIM.key()
              + "="
              + SentenceEncoder.DIMENSION);
    }
    for (ConfigOption<Integer> positive : java.util.List.of(MAX_CHARS, BATCH_SIZE, CAPACITY)) {
      if (options.get(positive) < 1) {
        throw new IllegalArgumentException(positive.key() + " must be >= 1");
      }
    }
    if (options.get(INTRA_OP_THREADS) < 0) {
      throw new IllegalArgumentException(INTRA_OP_THREADS.key() + " must be >= 0");
    }
    options
        .passed(PARALLELISM)
        .filter(p -> p < 1)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(PARALLELISM.key() + " must be >= 1");
            });
  }
}
