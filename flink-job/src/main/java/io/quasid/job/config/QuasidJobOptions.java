package io.quasid.job.config;

import io.quasid.job.pipeline.ChurnPolicy;
import io.quasid.job.text.SentenceEncoder;
import io.quasid.job.training.TrainingOptions;
import io.quasid.model.QuasidConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every setting of the job: typed options (key, default, description) and one {@link #validate()}
 * that fails fast naming the bad key. Keys starting with {@code kafka.} are passed, without the
 * prefix, to every Kafka client (security settings, timeouts); training keys are in {@link
 * TrainingOptions}.
 */
public final class QuasidJobOptions implements Serializable {

  private static final Logger LOG = LoggerFactory.getLogger(QuasidJobOptions.class);

  private static final long serialVersionUID = 1L;

  /** Prefix of the Kafka client properties passed through unchanged. */
  public static final String KAFKA_PREFIX = "kafka.";

  public static final ConfigOption<Boolean> TRAINING_ENABLED =
      ConfigOptions.key("training.enabled")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Fine-tune the tokenizer from the streams and broadcast new versions (training.*"
                  + " keys).");
  private final Configuration conf;

  public QuasidJobOptions(Configuration conf) {
    this.conf = new Configuration(conf);
  }

  public static QuasidJobOptions defaults() {
    return new QuasidJobOptions(new Configuration());
  }

  /** Returns a copy with {@code option} set to {@code value}. */
  public <T> QuasidJobOptions with(ConfigOption<T> option, T value) {
    Configuration copy = new Configuration(conf);
    copy.set(option, value);
    return new QuasidJobOptions(copy);
  }

  /** Returns a copy with a raw key (e.g. {@code kafka.security.protocol}) set. */
  public QuasidJobOptions with(String key, String value) {
    Configuration copy = new Configuration(conf);
    copy.setString(key, value);
    return new QuasidJobOptions(copy);
  }

  /** Fails fast with a message naming the offending key; returns {@code this}. */
  public QuasidJobOptions validate() {
    new QuasidJobOptionsValidator(this).validate();
    return this;
  }

  public <T> T get(ConfigOption<T> option) {
    return conf.get(option);
  }

  /** The value of {@code option} if the user passed it (defaults do not count). */
  public <T> java.util.Optional<T> passed(ConfigOption<T> option) {
    return conf.getOptional(option);
  }

  public java.util.Optional<Integer> parallelism() {
    return passed(RuntimeOptions.PARALLELISM);
  }

  /**
   * The largest dead letter the job can write: the value and key it keeps, the key again as the
   * record key, a reason of at most {@link
   * io.quasid.job.pipeline.DeadLetterSerializer#MAX_REASON_CHARS} characters (up to 3 bytes each)
   * and room for the other fields and the record's framing.
   */
  public long deadLetterMaxBytes() {
    return (long) get(InputOptions.MAX_RECORD_BYTES)
        + 2L * get(InputOptions.DEAD_LETTER_MAX_KEY_BYTES)
        + 3L * io.quasid.job.pipeline.DeadLetterSerializer.MAX_REASON_CHARS
        + 1024;
  }

  /** Default transaction timeout of the exactly-once sinks, below brokers' 15-minute maximum. */
  public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

  /** {@code kafka.transaction.timeout.ms}, else {@link #DEFAULT_TRANSACTION_TIMEOUT}. */
  public Duration transactionTimeout() {
    String ms = kafkaClientProperties().getProperty("transaction.timeout.ms");
    if (ms == null) {
      return DEFAULT_TRANSACTION_TIMEOUT;
    }
    try {
      return Duration.ofMillis(Long.parseLong(ms.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          KAFKA_PREFIX + "transaction.timeout.ms must be a number of milliseconds");
    }
  }

  /**
   * Fails unless the sinks' transaction timeout is at least twice {@code checkpointTimeout}: a
   * checkpoint that takes longer than the broker keeps its transaction open loses the SIDs in it.
   */
  public void requireTransactionTimeoutAbove(Duration checkpointTimeout, String source) {
    Duration tx = transactionTimeout();
    if (tx.compareTo(checkpointTimeout.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "the checkpoint timeout ("
              + source
              + " = "
              + checkpointTimeout
              + ") must be at most half the Kafka transaction timeout ("
              + KAFKA_PREFIX
              + "transaction.timeout.ms = "
              + tx.toMillis()
              + " ms): lower the one or raise the other (the broker's"
              + " transaction.max.timeout.ms caps the latter)");
    }
  }

  /**
   * A copy holding only the keys that start with one of {@code prefixes} (or equal one): what an
   * operator ships in the job graph, so Kafka secrets never travel with functions that do not need
   * them.
   */
  public QuasidJobOptions only(String... prefixes) {
    Configuration kept = new Configuration();
    conf.toMap()
        .forEach(
            (k, v) -> {
              for (String prefix : prefixes) {
                if (k.startsWith(prefix)) {
                  kept.setString(k, v);
                  return;
                }
              }
            });
    return new QuasidJobOptions(kept);
  }

  /** A copy of the underlying configuration. */
  public Configuration configuration() {
    return new Configuration(conf);
  }

  /**
   * The {@code kafka.*} keys without the prefix, for every Kafka client. When a value is a
   * reference ({@code ${env:VARIABLE}}, {@code ${file:/path:key}}) and the user configured no
   * {@code config.providers}, Kafka's environment and file providers are set up, so each client
   * resolves the reference where it runs.
   */
  public Properties kafkaClientProperties() {
    Properties props = new Properties();
    for (Map.Entry<String, String> e : conf.toMap().entrySet()) {
      if (e.getKey().startsWith(KAFKA_PREFIX)) {
        props.setProperty(e.getKey().substring(KAFKA_PREFIX.length()), e.getValue());
      }
    }
    boolean references = props.values().stream().anyMatch(v -> v.toString().contains("${"));
    if (references && !props.containsKey("config.providers")) {
      props.setProperty("config.providers", "env,file");
      props.setProperty(
          "config.providers.env.class",
          "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
      props.setProperty(
          "config.providers.file.class",
          "org.apache.kafka.common.config.provider.FileConfigProvider");
    }
    return props;
  }

  public ChurnPolicy churnPolicy() {
    return ChurnPolicy.parse(get(AssignmentOptions.CHURN_POLICY));
  }

  public java.util.Optional<Path> modelSnapshot() {
    return conf.getOptional(ModelOptions.MODEL_SNAPSHOT).map(Path::of);
  }

  public java.util.Optional<Path> savedModel() {
    return conf.getOptional(ModelOptions.MODEL_SAVED_MODEL).map(Path::of);
  }

  public boolean trainingEnabled() {
    return get(TRAINING_ENABLED);
  }

  /** The configuration of a seeded model built from the {@code model.*} options. */
  public QuasidConfig modelConfig() {
    int[] hidden;
    try {
      hidden =
          Arrays.stream(get(ModelOptions.MODEL_ENCODER_HIDDEN).split(","))
              .map(String::trim)
              .mapToInt(Integer::parseInt)
              .toArray();
    } catch (NumberFormatException e) {
      throw invalid(ModelOptions.MODEL_ENCODER_HIDDEN, "must be comma-separated integers");
    }
    return QuasidConfig.builder(get(InputOptions.VECTOR_DIM))
        .encoderHidden(hidden)
        .latentDim(get(ModelOptions.MODEL_LATENT_DIM))
        .levels(get(ModelOptions.MODEL_LEVELS))
        .codebookSize(get(ModelOptions.MODEL_CODEBOOK_SIZE))
        .seed(get(ModelOptions.MODEL_SEED))
        .learningRate(get(ModelOptions.MODEL_LEARNING_RATE).floatValue())
        .codebookLearningRate(get(ModelOptions.MODEL_CODEBOOK_LEARNING_RATE).floatValue())
        .lossScale(get(ModelOptions.MODEL_LOSS_SCALE))
        .detachDeepResiduals(get(ModelOptions.MODEL_DETACH_DEEP_RESIDUALS))
        .contrastiveNegatives(get(ModelOptions.MODEL_CONTRASTIVE_NEGATIVES))
        .device(get(ModelOptions.MODEL_DEVICE))
        .intraOpThreads(get(ModelOptions.MODEL_INTRA_OP_THREADS))
        .interOpThreads(get(ModelOptions.MODEL_INTER_OP_THREADS))
        .featureSpace(featureSpace())
        .build();
  }

  /** What the tokenizer's input vectors are: the sentence encoder's name in text mode, else "". */
  public String featureSpace() {
    return get(TextOptions.FEATURE_SOURCE) == FeatureSource.VECTOR ? "" : SentenceEncoder.NAME;
  }

  /**
   * The training settings, sharing this configuration (keys {@code training.*}). Without a {@code
   * training.secret}, one random secret is generated here, once per submitted job graph.
   */
  public TrainingOptions training(QuasidConfig model) {
    if (conf.getOptional(TrainingOptions.SECRET).filter(s -> !s.isEmpty()).isPresent()) {
      return new TrainingOptions(model, conf);
    }
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    Configuration withSecret = new Configuration(conf);
    withSecret.set(TrainingOptions.SECRET, HexFormat.of().formatHex(key));
    LOG.info(
        "training.secret is not set: generated a random one for this submission (admission to"
            + " training and the quality gate's sample differ between submissions; set it for"
            + " reproducible runs)");
    return new TrainingOptions(model, withSecret);
  }

  /** An error naming {@code option} and the value the user passed for it, if any. */
  IllegalArgumentException invalid(ConfigOption<?> option, String message) {
    String got = conf.toMap().get(option.key());
    return new IllegalArgumentException(
        option.key() + " " + message + (got == null ? "" : " (got '" + got + "')"));
  }

  /** The settings with the values of {@code kafka.*} keys hidden (they may hold secrets). */
  @Override
  public String toString() {
    Map<String, String> shown = new java.util.TreeMap<>(conf.toMap());
    shown.replaceAll(
        (k, v) -> k.startsWith(KAFKA_PREFIX) || k.equals(TrainingOptions.SECRET.key()) ? "***" : v);
    return shown.toString();
  }
}
