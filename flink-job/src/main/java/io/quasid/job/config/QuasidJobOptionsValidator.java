package io.quasid.job.config;

import io.quasid.model.QuasidConfig;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The checks behind {@link QuasidJobOptions#validate()}, in one sequence so that the first bad key
 * is the one reported. Option groups with checks of their own ({@link RegistryOptions}, {@link
 * TextOptions}, the training options) are called from it.
 */
final class QuasidJobOptionsValidator {

  /**
   * Kafka's password settings. A literal value would be serialized into the job graph, which the
   * JobManager keeps (and its high-availability store, and every savepoint's metadata reader can
   * see); a reference is resolved by each client where it runs.
   */
  static final List<String> SECRET_KAFKA_KEYS =
      List.of(
          "sasl.jaas.config",
          "ssl.key.password",
          "ssl.keystore.password",
          "ssl.truststore.password",
          "ssl.keystore.key");

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{[A-Za-z0-9_.-]+:[^}]+}");

  private final QuasidJobOptions options;

  QuasidJobOptionsValidator(QuasidJobOptions options) {
    this.options = options;
  }

  /** Fails fast with a message naming the offending key. */
  void validate() {
    require(
        !options.get(KafkaOptions.BOOTSTRAP_SERVERS).isBlank(),
        KafkaOptions.BOOTSTRAP_SERVERS,
        "must not be empty");
    List<ConfigOption<String>> topics =
        List.of(
            KafkaOptions.ITEMS_TOPIC,
            KafkaOptions.INTERACTIONS_TOPIC,
            KafkaOptions.SID_TOPIC,
            KafkaOptions.DEAD_LETTER_TOPIC,
            KafkaOptions.MIGRATIONS_TOPIC);
    Set<String> names = new HashSet<>();
    for (ConfigOption<String> topic : topics) {
      require(!options.get(topic).isBlank(), topic, "must not be empty");
      require(names.add(options.get(topic)), topic, "must differ from the other topics");
    }
    require(
        !options.get(KafkaOptions.GROUP_ID).isBlank(), KafkaOptions.GROUP_ID, "must not be empty");
    require(
        !options.get(RuntimeOptions.CHECKPOINT_INTERVAL).isNegative()
            && !options.get(RuntimeOptions.CHECKPOINT_INTERVAL).isZero(),
        RuntimeOptions.CHECKPOINT_INTERVAL,
        "must be > 0: the exactly-once sinks commit on checkpoints");
    require(
        !options.get(RuntimeOptions.CHECKPOINT_TIMEOUT).isNegative()
            && !options.get(RuntimeOptions.CHECKPOINT_TIMEOUT).isZero(),
        RuntimeOptions.CHECKPOINT_TIMEOUT,
        "must be > 0");
    options
        .parallelism()
        .ifPresent(p -> require(p >= 1, RuntimeOptions.PARALLELISM, "must be >= 1"));
    require(
        options.get(RuntimeOptions.MAX_PARALLELISM) >= 1
            && options.get(RuntimeOptions.MAX_PARALLELISM) <= 32768,
        RuntimeOptions.MAX_PARALLELISM,
        "must be in 1..32768");
    options
        .parallelism()
        .ifPresent(
            p ->
                require(
                    p <= options.get(RuntimeOptions.MAX_PARALLELISM),
                    RuntimeOptions.PARALLELISM,
                    "must not exceed max-parallelism "
                        + options.get(RuntimeOptions.MAX_PARALLELISM)));
    options
        .passed(RuntimeOptions.RESTART_ATTEMPTS)
        .ifPresent(a -> require(a >= 0, RuntimeOptions.RESTART_ATTEMPTS, "must be >= 0"));
    options
        .passed(RuntimeOptions.RESTART_DELAY)
        .ifPresent(
            d -> require(!d.isNegative(), RuntimeOptions.RESTART_DELAY, "must not be negative"));
    options.requireTransactionTimeoutAbove(
        options.get(RuntimeOptions.CHECKPOINT_TIMEOUT), RuntimeOptions.CHECKPOINT_TIMEOUT.key());
    require(options.get(InputOptions.VECTOR_DIM) >= 1, InputOptions.VECTOR_DIM, "must be >= 1");
    require(
        options.get(InputOptions.MAX_RECORD_BYTES) >= 64,
        InputOptions.MAX_RECORD_BYTES,
        "must be >= 64");
    require(
        !options.get(InputOptions.MAX_FUTURE_SKEW).isNegative(),
        InputOptions.MAX_FUTURE_SKEW,
        "must not be negative");
    require(
        !options.get(InputOptions.UNKNOWN_DELETE_RETENTION).isNegative(),
        InputOptions.UNKNOWN_DELETE_RETENTION,
        "must not be negative");
    requireSecretsAsReferences();
    RegistryOptions.validate(options);
    TextOptions.validate(options);
    require(
        options.get(InputOptions.DEAD_LETTER_MAX_KEY_BYTES) >= 0,
        InputOptions.DEAD_LETTER_MAX_KEY_BYTES,
        "must be >= 0");
    long deadLetterBytes = options.deadLetterMaxBytes();
    long maxRequest = producerMaxRequestSize();
    require(
        deadLetterBytes <= maxRequest,
        InputOptions.MAX_RECORD_BYTES,
        "with "
            + InputOptions.DEAD_LETTER_MAX_KEY_BYTES.key()
            + " makes dead letters of up to "
            + deadLetterBytes
            + " bytes, more than the producer's max.request.size "
            + maxRequest
            + " (raise "
            + QuasidJobOptions.KAFKA_PREFIX
            + "max.request.size and the dead-letter topic's max.message.bytes, or lower these)");
    require(
        !options.get(InputOptions.UNKNOWN_ITEM_GRACE).isNegative(),
        InputOptions.UNKNOWN_ITEM_GRACE,
        "must not be negative");
    require(
        options
                .get(InputOptions.UNKNOWN_ITEM_MAX_WAIT)
                .compareTo(options.get(InputOptions.UNKNOWN_ITEM_GRACE))
            >= 0,
        InputOptions.UNKNOWN_ITEM_MAX_WAIT,
        "must be at least " + InputOptions.UNKNOWN_ITEM_GRACE.key());
    require(
        options.get(AssignmentOptions.ASSIGNER_BATCH_SIZE) >= 1,
        AssignmentOptions.ASSIGNER_BATCH_SIZE,
        "must be >= 1");
    require(
        !options.get(AssignmentOptions.ASSIGNER_FLUSH_INTERVAL).isNegative(),
        AssignmentOptions.ASSIGNER_FLUSH_INTERVAL,
        "must not be negative");
    require(
        options.get(AssignmentOptions.ASSIGNER_REENCODE_SLICE) >= 1,
        AssignmentOptions.ASSIGNER_REENCODE_SLICE,
        "must be >= 1");
    require(
        options.get(AssignmentOptions.ASSIGNER_REENCODE_SHARE) > 0
            && options.get(AssignmentOptions.ASSIGNER_REENCODE_SHARE) <= 1,
        AssignmentOptions.ASSIGNER_REENCODE_SHARE,
        "must be in (0, 1]");
    require(
        options.get(ModelOptions.MODEL_LEARNING_RATE) > 0,
        ModelOptions.MODEL_LEARNING_RATE,
        "must be > 0");
    require(
        options.get(ModelOptions.MODEL_CODEBOOK_LEARNING_RATE) > 0,
        ModelOptions.MODEL_CODEBOOK_LEARNING_RATE,
        "must be > 0");
    require(
        !options.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX).isBlank(),
        KafkaOptions.TRANSACTIONAL_ID_PREFIX,
        "must not be empty");
    require(
        options.get(KafkaOptions.SID_DELIVERY) != DeliveryGuarantee.NONE,
        KafkaOptions.SID_DELIVERY,
        "must be EXACTLY_ONCE or AT_LEAST_ONCE: NONE can lose SIDs");
    try {
      options.churnPolicy();
    } catch (IllegalArgumentException e) {
      throw options.invalid(AssignmentOptions.CHURN_POLICY, e.getMessage());
    }
    options
        .modelSnapshot()
        .ifPresent(
            p -> require(Files.isRegularFile(p), ModelOptions.MODEL_SNAPSHOT, "is not a file"));
    options
        .savedModel()
        .ifPresent(
            p ->
                require(
                    Files.isDirectory(p), ModelOptions.MODEL_SAVED_MODEL, "is not a directory"));
    QuasidConfig model;
    try {
      model = options.modelConfig();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model.* options are invalid: " + e.getMessage(), e);
    }
    if (options.trainingEnabled()) {
      options.training(model).validate();
    }
  }

  private long producerMaxRequestSize() {
    String size = options.kafkaClientProperties().getProperty("max.request.size");
    try {
      return size == null ? 1024 * 1024 : Long.parseLong(size.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          QuasidJobOptions.KAFKA_PREFIX + "max.request.size must be a number");
    }
  }

  private void requireSecretsAsReferences() {
    Configuration raw = options.configuration();
    for (String key : SECRET_KAFKA_KEYS) {
      String value = raw.getString(QuasidJobOptions.KAFKA_PREFIX + key, null);
      if (value != null && !REFERENCE.matcher(value.trim()).matches()) {
        // Never echo the value: it is a secret.
        throw new IllegalArgumentException(
            QuasidJobOptions.KAFKA_PREFIX
                + key
                + " must be a reference that each Kafka client resolves where it runs, e.g. ${env:"
                + "KAFKA_SASL_JAAS_CONFIG} or ${file:/etc/quasid/kafka.properties:"
                + key
                + "}: a literal value would be serialized into the job graph");
      }
    }
  }

  private void require(boolean ok, ConfigOption<?> option, String message) {
    if (!ok) {
      throw options.invalid(option, message);
    }
  }
}
