package io.quasid.job.config;

import io.quasid.job.pipeline.ChurnPolicy;
import io.quasid.job.pipeline.SidAssigner;
import io.quasid.job.training.TrainingOptions;
import io.quasid.model.QuasidConfig;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
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

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      ConfigOptions.key("bootstrap.servers")
          .stringType()
          .defaultValue("localhost:9092")
          .withDescription("Kafka bootstrap servers.");
  public static final ConfigOption<String> ITEMS_TOPIC =
      ConfigOptions.key("topic.items")
          .stringType()
          .defaultValue("item-features")
          .withDescription("Input topic of ItemFeatureEvent records, keyed by item id.");
  public static final ConfigOption<String> INTERACTIONS_TOPIC =
      ConfigOptions.key("topic.interactions")
          .stringType()
          .defaultValue("interactions")
          .withDescription("Input topic of InteractionEvent records, keyed by user id.");
  public static final ConfigOption<String> SID_TOPIC =
      ConfigOptions.key("topic.sid-assignments")
          .stringType()
          .defaultValue("sid-assignments")
          .withDescription("Compacted output topic of SidAssignment records keyed by item id.");
  public static final ConfigOption<String> DEAD_LETTER_TOPIC =
      ConfigOptions.key("topic.dead-letters")
          .stringType()
          .defaultValue("sid-dead-letters")
          .withDescription("Output topic of rejected input records (DeadLetter).");
  public static final ConfigOption<String> MIGRATIONS_TOPIC =
      ConfigOptions.key("topic.sid-migrations")
          .stringType()
          .defaultValue("sid-migrations")
          .withDescription(
              "Output topic of MigrationSummary records keyed by model version: one per version,"
                  + " when every assigner has re-encoded its items (compacted).");
  public static final ConfigOption<String> GROUP_ID =
      ConfigOptions.key("group.id")
          .stringType()
          .defaultValue("quasid-stream")
          .withDescription("Consumer group of the sources (offsets are also in checkpoints).");
  public static final ConfigOption<StartOffsets> START_OFFSETS =
      ConfigOptions.key("source.start")
          .enumType(StartOffsets.class)
          .defaultValue(StartOffsets.EARLIEST)
          .withDescription(
              "Where the sources start without a checkpoint or savepoint: EARLIEST (every item is"
                  + " read again, so the SID topic is rebuilt consistently), LATEST, or the"
                  + " group's COMMITTED offsets. COMMITTED without state is refused while the"
                  + " group has committed offsets (items not read again would keep SIDs the new"
                  + " empty buckets hand out again), unless source.allow-committed-without-state.");
  public static final ConfigOption<Boolean> ALLOW_COMMITTED_WITHOUT_STATE =
      ConfigOptions.key("source.allow-committed-without-state")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Start from the group's COMMITTED offsets without a savepoint even though the"
                  + " group has committed offsets. Duplicate SIDs can follow; see the runbook's"
                  + " re-bootstrap procedure before setting it.");
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOptions.key("checkpoint.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "Checkpoint interval; SID assignments become visible to read_committed consumers"
                  + " once per checkpoint. Applied when passed, or when the cluster sets no"
                  + " execution.checkpointing.interval.");
  public static final ConfigOption<Duration> CHECKPOINT_TIMEOUT =
      ConfigOptions.key("checkpoint.timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(5))
          .withDescription(
              "Checkpoint timeout. Applied when passed, or when the cluster sets no"
                  + " execution.checkpointing.timeout. Must be at most half the sinks' Kafka"
                  + " transaction timeout (kafka.transaction.timeout.ms, default 10 min): a"
                  + " transaction the broker aborts before its checkpoint completes loses the"
                  + " SIDs in it.");
  public static final ConfigOption<String> CHECKPOINT_DIR =
      ConfigOptions.key("checkpoint.dir")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Durable checkpoint storage URI (e.g. s3://..., file:///...); none keeps them in"
                  + " the JobManager (local runs only).");
  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("parallelism")
          .intType()
          .noDefaultValue()
          .withDescription(
              "Default parallelism of the job (the trainer always runs at 1); the cluster's"
                  + " parallelism.default when not passed.");
  public static final ConfigOption<Integer> MAX_PARALLELISM =
      ConfigOptions.key("max-parallelism")
          .intType()
          .defaultValue(128)
          .withDescription(
              "Key groups of the keyed state: the job can never scale above it, and it cannot"
                  + " change without losing state. Applied when passed, or when the cluster sets"
                  + " no pipeline.max-parallelism (128 equals Flink's own choice below parallelism"
                  + " 86, so savepoints taken before it was set still restore).");
  public static final ConfigOption<Integer> RESTART_ATTEMPTS =
      ConfigOptions.key("restart.attempts")
          .intType()
          .noDefaultValue()
          .withDescription(
              "Switches to a fixed-delay restart strategy with this many attempts over the job's"
                  + " life. Not passed (and no restart.delay): the cluster's strategy, else"
                  + " exponential-delay, which never gives up on a recoverable failure.");
  public static final ConfigOption<Duration> RESTART_DELAY =
      ConfigOptions.key("restart.delay")
          .durationType()
          .noDefaultValue()
          .withDescription(
              "Switches to a fixed-delay restart strategy with this delay (attempts:"
                  + " restart.attempts, else unbounded).");
  public static final ConfigOption<Integer> VECTOR_DIM =
      ConfigOptions.key("vector.dim")
          .intType()
          .defaultValue(64)
          .withDescription("Dimension of item feature vectors; other sizes are dead-lettered.");
  public static final ConfigOption<Integer> MAX_RECORD_BYTES =
      ConfigOptions.key("max-record-bytes")
          .intType()
          .defaultValue(64 * 1024)
          .withDescription("Input records with a larger value are dead-lettered as OVERSIZE.");
  public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
      ConfigOptions.key("event-time.max-future-skew")
          .durationType()
          .defaultValue(Duration.ofHours(1))
          .withDescription(
              "Item and interaction events whose event_time is further ahead of their record's"
                  + " Kafka timestamp (or of the task manager's clock, where that is earlier) are"
                  + " dead-lettered as INVALID. The job orders an item's"
                  + " events by event time, so one stamped in the future (a bad producer clock,"
                  + " microseconds sent as milliseconds) would otherwise freeze the item: every"
                  + " later update and delete would be dropped as older.");
  public static final ConfigOption<Duration> UNKNOWN_DELETE_RETENTION =
      ConfigOptions.key("items.unknown-delete-retention")
          .durationType()
          .defaultValue(SidAssigner.DEFAULT_UNKNOWN_DELETE_RETENTION)
          .withDescription(
              "How long the delete of an item id the job never held is remembered, so that an"
                  + " older upsert of it arriving later is not applied. After that the id leaves no"
                  + " state (deletes of ids that never existed cannot grow it); a deleted item that"
                  + " was published keeps a small tombstone (its revision and newest event time)"
                  + " for good.");
  public static final ConfigOption<Integer> DEAD_LETTER_MAX_KEY_BYTES =
      ConfigOptions.key("dead-letters.max-key-bytes")
          .intType()
          .defaultValue(1024)
          .withDescription(
              "A dead letter keeps at most this many bytes of the rejected record's key (in its"
                  + " raw_key and as its own Kafka key; raw_key_length keeps the full length), so a"
                  + " huge key cannot make the dead letter too large to write and fail the job.");
  public static final ConfigOption<Duration> UNKNOWN_ITEM_GRACE =
      ConfigOptions.key("interactions.unknown-item-grace")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription(
              "An interaction whose item is not known is dead-lettered as UNKNOWN_ID once both"
                  + " input topics have been read this far past it (broker timestamps; a"
                  + " partition counts as read up to the wall clock only when the broker says"
                  + " nothing readable follows its position): live, about this long after the"
                  + " interaction; while an item"
                  + " partition lags (a catch-up) it waits on, up to"
                  + " interactions.unknown-item-max-wait. Keep it well above the clock skew"
                  + " between producers and task managers.");
  public static final ConfigOption<Duration> UNKNOWN_ITEM_MAX_WAIT =
      ConfigOptions.key("interactions.unknown-item-max-wait")
          .durationType()
          .defaultValue(Duration.ofMinutes(30))
          .withDescription(
              "Longest an interaction waits for its item, in processing time, however the"
                  + " topics progress (see interactions.unknown-item-grace): bounds the state of"
                  + " waiting interactions. Counted from when an interaction began waiting,"
                  + " downtime included: after an outage longer than this, the interactions that"
                  + " were waiting when it began are dead-lettered at the restart. At least the"
                  + " grace.");
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
  public static final ConfigOption<Integer> ASSIGNER_BATCH_SIZE =
      ConfigOptions.key("assigner.batch-size")
          .intType()
          .defaultValue(512)
          .withDescription(
              "Most items per encode call: new and changed items are buffered up to this many"
                  + " (also flushed by assigner.flush-interval and before every checkpoint), and"
                  + " re-encoding runs in calls of this size.");
  public static final ConfigOption<Duration> ASSIGNER_FLUSH_INTERVAL =
      ConfigOptions.key("assigner.flush-interval")
          .durationType()
          .defaultValue(Duration.ofMillis(50))
          .withDescription(
              "Longest time a new or changed item waits for its encode batch (processing time).");
  public static final ConfigOption<Integer> ASSIGNER_REENCODE_SLICE =
      ConfigOptions.key("assigner.reencode-slice")
          .intType()
          .defaultValue(512)
          .withDescription(
              "Items re-encoded per step when a new model version arrives; checkpoints and new"
                  + " items pass between steps, and memory is bounded by the slice. A step emits"
                  + " up to two records per item and blocks while the bucket allocator is"
                  + " back-pressured, so larger slices hold checkpoint barriers longer.");
  public static final ConfigOption<Double> ASSIGNER_REENCODE_SHARE =
      ConfigOptions.key("assigner.reencode-share")
          .doubleType()
          .defaultValue(0.5)
          .withDescription(
              "Most of an assigner's time a re-encoding sweep may take, in (0, 1]: after a slice"
                  + " that took t, the next waits t * (1 - share) / share, so new items and"
                  + " checkpoint barriers keep moving during the sweep (1.0: slices back to back,"
                  + " fastest sweep, barriers wait for it).");
  public static final ConfigOption<String> CHURN_POLICY =
      ConfigOptions.key("churn.policy")
          .stringType()
          .defaultValue("ALWAYS")
          .withDescription(
              "What a new model version may change: ALWAYS, KEEP_UNLESS_BETTER:<margin> (move"
                  + " only if the residual norm improves by the margin), FREEZE_LEVELS:<n> (move"
                  + " only within the same first n codes), BUDGET:<items>:<margin> (at most this"
                  + " many known items move per version job-wide, best gain first, each only if"
                  + " its new codes fit better by the margin, measured in the new version's space;"
                  + " a hard cap, split over the assigner subtasks by key groups), KEEP (never"
                  + " move a known item: a version"
                  + " applies to new and changed items only, and the assigners skip the"
                  + " re-encoding sweep).");
  public static final ConfigOption<Boolean> TRAINING_ENABLED =
      ConfigOptions.key("training.enabled")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Fine-tune the tokenizer from the streams and broadcast new versions (training.*"
                  + " keys).");
  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
      ConfigOptions.key("sink.transactional-id-prefix")
          .stringType()
          .defaultValue("quasid-stream")
          .withDescription(
              "Prefix of the Kafka transactional ids of the exactly-once sinks; unique per job"
                  + " on a cluster.");
  public static final ConfigOption<DeliveryGuarantee> SID_DELIVERY =
      ConfigOptions.key("sink.sid-delivery")
          .enumType(DeliveryGuarantee.class)
          .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
          .withDescription(
              "exactly-once: SIDs become visible to read_committed consumers when a checkpoint"
                  + " completes. at-least-once (low-latency mode): visible within about a second"
                  + " (producer linger), but after a failure a consumer sees records again: keep,"
                  + " per item, the record with the highest revision, the later one on a tie (see"
                  + " the job README). Dead letters stay exactly once.");
  public static final ConfigOption<String> REPUBLISH_TOKEN =
      ConfigOptions.key("republish.token")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Any new value (e.g. the date) makes the job re-send every live SID assignment once,"
                  + " with its revision unchanged, when it starts: the repair after a sink"
                  + " transaction was lost (see the runbook). Safe on the compacted topic; a value"
                  + " already used does nothing.");
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

  /** Every typed option of the job, training included, for {@code --help}. */
  public static List<ConfigOption<?>> all() {
    List<ConfigOption<?>> options = new ArrayList<>();
    options.addAll(declaredIn(QuasidJobOptions.class));
    options.addAll(declaredIn(TrainingOptions.class));
    options.addAll(declaredIn(RegistryOptions.class));
    return options;
  }

  private static List<ConfigOption<?>> declaredIn(Class<?> type) {
    List<ConfigOption<?>> options = new ArrayList<>();
    for (Field f : type.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
        try {
          options.add((ConfigOption<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return options;
  }

  /** Fails fast with a message naming the offending key; returns {@code this}. */
  public QuasidJobOptions validate() {
    require(!get(BOOTSTRAP_SERVERS).isBlank(), BOOTSTRAP_SERVERS, "must not be empty");
    List<ConfigOption<String>> topics =
        List.of(ITEMS_TOPIC, INTERACTIONS_TOPIC, SID_TOPIC, DEAD_LETTER_TOPIC, MIGRATIONS_TOPIC);
    Set<String> names = new HashSet<>();
    for (ConfigOption<String> topic : topics) {
      require(!get(topic).isBlank(), topic, "must not be empty");
      require(names.add(get(topic)), topic, "must differ from the other topics");
    }
    require(!get(GROUP_ID).isBlank(), GROUP_ID, "must not be empty");
    require(
        !get(CHECKPOINT_INTERVAL).isNegative() && !get(CHECKPOINT_INTERVAL).isZero(),
        CHECKPOINT_INTERVAL,
        "must be > 0: the exactly-once sinks commit on checkpoints");
    require(
        !get(CHECKPOINT_TIMEOUT).isNegative() && !get(CHECKPOINT_TIMEOUT).isZero(),
        CHECKPOINT_TIMEOUT,
        "must be > 0");
    parallelism().ifPresent(p -> require(p >= 1, PARALLELISM, "must be >= 1"));
    require(
        get(MAX_PARALLELISM) >= 1 && get(MAX_PARALLELISM) <= 32768,
        MAX_PARALLELISM,
        "must be in 1..32768");
    parallelism()
        .ifPresent(
            p ->
                require(
                    p <= get(MAX_PARALLELISM),
                    PARALLELISM,
                    "must not exceed max-parallelism " + get(MAX_PARALLELISM)));
    conf.getOptional(RESTART_ATTEMPTS)
        .ifPresent(a -> require(a >= 0, RESTART_ATTEMPTS, "must be >= 0"));
    conf.getOptional(RESTART_DELAY)
        .ifPresent(d -> require(!d.isNegative(), RESTART_DELAY, "must not be negative"));
    requireTransactionTimeoutAbove(get(CHECKPOINT_TIMEOUT), CHECKPOINT_TIMEOUT.key());
    require(get(VECTOR_DIM) >= 1, VECTOR_DIM, "must be >= 1");
    require(get(MAX_RECORD_BYTES) >= 64, MAX_RECORD_BYTES, "must be >= 64");
    require(!get(MAX_FUTURE_SKEW).isNegative(), MAX_FUTURE_SKEW, "must not be negative");
    require(
        !get(UNKNOWN_DELETE_RETENTION).isNegative(),
        UNKNOWN_DELETE_RETENTION,
        "must not be negative");
    requireSecretsAsReferences();
    RegistryOptions.validate(this);
    require(get(DEAD_LETTER_MAX_KEY_BYTES) >= 0, DEAD_LETTER_MAX_KEY_BYTES, "must be >= 0");
    long deadLetterBytes = deadLetterMaxBytes();
    long maxRequest = producerMaxRequestSize();
    require(
        deadLetterBytes <= maxRequest,
        MAX_RECORD_BYTES,
        "with "
            + DEAD_LETTER_MAX_KEY_BYTES.key()
            + " makes dead letters of up to "
            + deadLetterBytes
            + " bytes, more than the producer's max.request.size "
            + maxRequest
            + " (raise "
            + KAFKA_PREFIX
            + "max.request.size and the dead-letter topic's max.message.bytes, or lower these)");
    require(!get(UNKNOWN_ITEM_GRACE).isNegative(), UNKNOWN_ITEM_GRACE, "must not be negative");
    require(
        get(UNKNOWN_ITEM_MAX_WAIT).compareTo(get(UNKNOWN_ITEM_GRACE)) >= 0,
        UNKNOWN_ITEM_MAX_WAIT,
        "must be at least " + UNKNOWN_ITEM_GRACE.key());
    require(get(ASSIGNER_BATCH_SIZE) >= 1, ASSIGNER_BATCH_SIZE, "must be >= 1");
    require(
        !get(ASSIGNER_FLUSH_INTERVAL).isNegative(),
        ASSIGNER_FLUSH_INTERVAL,
        "must not be negative");
    require(get(ASSIGNER_REENCODE_SLICE) >= 1, ASSIGNER_REENCODE_SLICE, "must be >= 1");
    require(
        get(ASSIGNER_REENCODE_SHARE) > 0 && get(ASSIGNER_REENCODE_SHARE) <= 1,
        ASSIGNER_REENCODE_SHARE,
        "must be in (0, 1]");
    require(get(MODEL_LEARNING_RATE) > 0, MODEL_LEARNING_RATE, "must be > 0");
    require(get(MODEL_CODEBOOK_LEARNING_RATE) > 0, MODEL_CODEBOOK_LEARNING_RATE, "must be > 0");
    require(!get(TRANSACTIONAL_ID_PREFIX).isBlank(), TRANSACTIONAL_ID_PREFIX, "must not be empty");
    require(
        get(SID_DELIVERY) != DeliveryGuarantee.NONE,
        SID_DELIVERY,
        "must be EXACTLY_ONCE or AT_LEAST_ONCE: NONE can lose SIDs");
    try {
      churnPolicy();
    } catch (IllegalArgumentException e) {
      throw invalid(CHURN_POLICY, e.getMessage());
    }
    modelSnapshot()
        .ifPresent(p -> require(Files.isRegularFile(p), MODEL_SNAPSHOT, "is not a file"));
    savedModel()
        .ifPresent(p -> require(Files.isDirectory(p), MODEL_SAVED_MODEL, "is not a directory"));
    QuasidConfig model;
    try {
      model = modelConfig();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model.* options are invalid: " + e.getMessage(), e);
    }
    if (trainingEnabled()) {
      training(model).validate();
    }
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
    return passed(PARALLELISM);
  }

  /**
   * The largest dead letter the job can write: the value and key it keeps, the key again as the
   * record key, a reason of at most {@link
   * io.quasid.job.pipeline.DeadLetterSerializer#MAX_REASON_CHARS} characters (up to 3 bytes each)
   * and room for the other fields and the record's framing.
   */
  public long deadLetterMaxBytes() {
    return (long) get(MAX_RECORD_BYTES)
        + 2L * get(DEAD_LETTER_MAX_KEY_BYTES)
        + 3L * io.quasid.job.pipeline.DeadLetterSerializer.MAX_REASON_CHARS
        + 1024;
  }

  private long producerMaxRequestSize() {
    String size = kafkaClientProperties().getProperty("max.request.size");
    try {
      return size == null ? 1024 * 1024 : Long.parseLong(size.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(KAFKA_PREFIX + "max.request.size must be a number");
    }
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

  private static final java.util.regex.Pattern REFERENCE =
      java.util.regex.Pattern.compile("\\$\\{[A-Za-z0-9_.-]+:[^}]+}");

  private void requireSecretsAsReferences() {
    for (String key : SECRET_KAFKA_KEYS) {
      String value = conf.getString(KAFKA_PREFIX + key, null);
      if (value != null && !REFERENCE.matcher(value.trim()).matches()) {
        // Never echo the value: it is a secret.
        throw new IllegalArgumentException(
            KAFKA_PREFIX
                + key
                + " must be a reference that each Kafka client resolves where it runs, e.g. ${env:"
                + "KAFKA_SASL_JAAS_CONFIG} or ${file:/etc/quasid/kafka.properties:"
                + key
                + "}: a literal value would be serialized into the job graph");
      }
    }
  }

  public ChurnPolicy churnPolicy() {
    return ChurnPolicy.parse(get(CHURN_POLICY));
  }

  public java.util.Optional<Path> modelSnapshot() {
    return conf.getOptional(MODEL_SNAPSHOT).map(Path::of);
  }

  public java.util.Optional<Path> savedModel() {
    return conf.getOptional(MODEL_SAVED_MODEL).map(Path::of);
  }

  public boolean trainingEnabled() {
    return get(TRAINING_ENABLED);
  }

  /** The configuration of a seeded model built from the {@code model.*} options. */
  public QuasidConfig modelConfig() {
    int[] hidden;
    try {
      hidden =
          Arrays.stream(get(MODEL_ENCODER_HIDDEN).split(","))
              .map(String::trim)
              .mapToInt(Integer::parseInt)
              .toArray();
    } catch (NumberFormatException e) {
      throw invalid(MODEL_ENCODER_HIDDEN, "must be comma-separated integers");
    }
    return QuasidConfig.builder(get(VECTOR_DIM))
        .encoderHidden(hidden)
        .latentDim(get(MODEL_LATENT_DIM))
        .levels(get(MODEL_LEVELS))
        .codebookSize(get(MODEL_CODEBOOK_SIZE))
        .seed(get(MODEL_SEED))
        .learningRate(get(MODEL_LEARNING_RATE).floatValue())
        .codebookLearningRate(get(MODEL_CODEBOOK_LEARNING_RATE).floatValue())
        .device(get(MODEL_DEVICE))
        .intraOpThreads(get(MODEL_INTRA_OP_THREADS))
        .interOpThreads(get(MODEL_INTER_OP_THREADS))
        .build();
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

  private void require(boolean ok, ConfigOption<?> option, String message) {
    if (!ok) {
      throw invalid(option, message);
    }
  }

  private IllegalArgumentException invalid(ConfigOption<?> option, String message) {
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
