package io.quasid.job.training;

import io.quasid.model.Placement;
import io.quasid.model.QuasidConfig;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Typed options of the continuous fine-tuning pipeline (keys {@code training.*}, beside the job's
 * own): one constant per knob (key, default, description), read through typed getters, checked once
 * by {@link #validate()}.
 *
 * <p>Instances travel inside the operators' closures, so they are serializable; the model's {@link
 * QuasidConfig} (a record that is not {@code Serializable}) is written component by component.
 */
public final class TrainingOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final ConfigOption<Long> SEED =
      ConfigOptions.key("training.seed")
          .longType()
          .defaultValue(42L)
          .withDescription("Seed of every random draw (down-sampling, reservoirs, batches).");

  public static final ConfigOption<String> SECRET =
      ConfigOptions.key("training.secret")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Key of the id hashes that decide which users' engagements are admitted to training"
                  + " and which items make the quality gate's evaluation sample and the catalogue"
                  + " sample. With a public key (the seed alone) anyone who can publish events"
                  + " could pick user or item ids that are always admitted or that fill the gate's"
                  + " sample (see the runbook's threat model). Unset, the job generates a random one"
                  + " per submission (then admission and samples differ between submissions); set"
                  + " it, from a secret store, for reproducible training runs.");

  public static final ConfigOption<String> DEVICE =
      ConfigOptions.key("training.device")
          .stringType()
          .noDefaultValue()
          .withFallbackKeys("model.device")
          .withDescription(
              "TensorFlow device of the trainer's model, e.g. /gpu:0 with the GPU build; defaults"
                  + " to model.device. The assigners use model.device.");

  public static final ConfigOption<Integer> INTRA_OP_THREADS =
      ConfigOptions.key("training.intra-op-threads")
          .intType()
          .defaultValue(1)
          .withDescription(
              "TensorFlow intra-op threads of the trainer's model (assigners: model.*-threads), so"
                  + " training cannot take the cores assignment needs.");

  public static final ConfigOption<Integer> INTER_OP_THREADS =
      ConfigOptions.key("training.inter-op-threads")
          .intType()
          .defaultValue(1)
          .withDescription("TensorFlow inter-op threads of the trainer's model.");

  public static final ConfigOption<String> SLOT_SHARING_GROUP =
      ConfigOptions.key("training.slot-sharing-group")
          .stringType()
          .defaultValue("default")
          .withDescription(
              "Slot-sharing group of the trainer. 'default' shares a slot with the pipeline"
                  + " (fits local runs and small clusters); a name of its own (e.g."
                  + " quasid-trainer) puts it in a slot of its own, which needs one more slot"
                  + " and, on a dedicated TaskManager, keeps its memory and cores apart.");

  private static final String KEY_PREFIX = "training.";

  private final Configuration conf;
  private transient QuasidConfig model;

  /**
   * Keeps only the {@code training.*} and {@code model.*} keys of {@code conf} (the warm start
   * falls back to the latter): these travel in the job graph, Kafka secrets never.
   */
  public TrainingOptions(QuasidConfig model, Configuration conf) {
    this.model = model;
    this.conf = new Configuration();
    conf.toMap()
        .forEach(
            (k, v) -> {
              if (k.startsWith(KEY_PREFIX) || k.startsWith("model.")) {
                this.conf.setString(k, v);
              }
            });
  }

  public static TrainingOptions defaults(QuasidConfig model) {
    return new TrainingOptions(model, new Configuration());
  }

  /** Returns a copy with {@code option} set to {@code value}. */
  public <T> TrainingOptions with(ConfigOption<T> option, T value) {
    Configuration copy = new Configuration(conf);
    copy.set(option, value);
    return new TrainingOptions(model, copy);
  }

  /** Fails fast with a message naming the offending key. */
  public TrainingOptions validate() {
    new TrainingOptionsValidator(this).validate();
    return this;
  }

  /** The value of {@code option}: the one passed, else its default. */
  <T> T get(ConfigOption<T> option) {
    return conf.get(option);
  }

  /** The value of {@code option} if the user passed it (defaults do not count). */
  <T> Optional<T> passed(ConfigOption<T> option) {
    return conf.getOptional(option);
  }

  public QuasidConfig model() {
    return model;
  }

  /** Where the trainer's model runs, whatever the snapshot it starts from was written with. */
  public Placement placement() {
    return new Placement(
        conf.getOptional(DEVICE).orElse(model.device()),
        conf.get(INTRA_OP_THREADS),
        conf.get(INTER_OP_THREADS));
  }

  public String slotSharingGroup() {
    return conf.get(SLOT_SHARING_GROUP);
  }

  public long seed() {
    return conf.get(SEED);
  }

  /**
   * Seed of the draws keyed by user or item ids (admission, the gate's and the catalogue's
   * samples): {@link #seed()} mixed with a key derived from {@code training.secret}, so that nobody
   * without the secret can tell which ids those draws favour.
   */
  public long idDrawSeed() {
    String secret = conf.get(SECRET);
    if (secret == null || secret.isEmpty()) {
      return seed();
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return seed() ^ ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Whether {@code training.secret} is set. */
  public boolean hasSecret() {
    String secret = conf.get(SECRET);
    return secret != null && !secret.isEmpty();
  }

  public int historySize() {
    return conf.get(PairOptions.HISTORY_SIZE);
  }

  public Duration historyTtl() {
    return conf.get(PairOptions.HISTORY_TTL);
  }

  public int pairWindowSize() {
    return conf.get(PairOptions.PAIR_WINDOW_SIZE);
  }

  public Duration pairWindowTime() {
    return conf.get(PairOptions.PAIR_WINDOW_TIME);
  }

  public int maxPairsPerEvent() {
    return conf.get(PairOptions.MAX_PAIRS_PER_EVENT);
  }

  public int popularTargetThreshold() {
    return conf.get(PairOptions.POPULAR_TARGET_THRESHOLD);
  }

  public Duration popularityTtl() {
    return conf.get(PairOptions.POPULARITY_TTL);
  }

  public int batchSize() {
    return conf.get(BatchOptions.BATCH_SIZE);
  }

  public int newRowsPerStep() {
    return conf.get(BatchOptions.NEW_ROWS_PER_STEP);
  }

  public int replayCapacity() {
    return conf.get(BatchOptions.REPLAY_CAPACITY);
  }

  public double catalogueShare() {
    return conf.get(BatchOptions.CATALOGUE_SHARE);
  }

  /** Rows of each batch drawn from the catalogue sample. */
  public int catalogueRowsPerStep() {
    return (int) Math.round(catalogueShare() * batchSize());
  }

  public int catalogueCapacity() {
    return conf.get(BatchOptions.CATALOGUE_CAPACITY);
  }

  public int heldOutCapacity() {
    return conf.get(BatchOptions.HELD_OUT_CAPACITY);
  }

  public double heldOutFraction() {
    return conf.get(BatchOptions.HELD_OUT_FRACTION);
  }

  public int initMinRows() {
    return conf.get(BatchOptions.INIT_MIN_ROWS);
  }

  public int publishEverySteps() {
    return conf.get(PublishOptions.PUBLISH_EVERY_STEPS);
  }

  public Duration publishInterval() {
    return conf.get(PublishOptions.PUBLISH_INTERVAL);
  }

  public double collisionTolerance() {
    return conf.get(PublishOptions.COLLISION_TOLERANCE);
  }

  public double coherenceTolerance() {
    return conf.get(PublishOptions.COHERENCE_TOLERANCE);
  }

  public double churnBudget() {
    return conf.get(PublishOptions.CHURN_BUDGET);
  }

  public double anchorLatentWeight() {
    return conf.get(FineTuneOptions.ANCHOR_LATENT_WEIGHT);
  }

  public double anchorCodebookWeight() {
    return conf.get(FineTuneOptions.ANCHOR_CODEBOOK_WEIGHT);
  }

  /** Whether fine-tuning is held to the live version ({@link io.quasid.model.Anchors}). */
  public boolean anchoring() {
    return anchorLatentWeight() > 0 || anchorCodebookWeight() > 0;
  }

  /** The warm start's config with the fine-tuning learning rates, where set. */
  public QuasidConfig fineTuned(QuasidConfig warm) {
    QuasidConfig.Builder b = warm.toBuilder();
    conf.getOptional(FineTuneOptions.FINE_TUNE_LEARNING_RATE)
        .ifPresent(r -> b.learningRate(r.floatValue()));
    conf.getOptional(FineTuneOptions.FINE_TUNE_CODEBOOK_LEARNING_RATE)
        .ifPresent(r -> b.codebookLearningRate(r.floatValue()));
    return b.build();
  }

  public int gatePairs() {
    return conf.get(PublishOptions.GATE_PAIRS);
  }

  public double maxStepsPerSecond() {
    return conf.get(BatchOptions.MAX_STEPS_PER_SECOND);
  }

  public double maxEngagementsPerSecond() {
    return conf.get(PairOptions.MAX_ENGAGEMENTS_PER_SECOND);
  }

  /** The known-item gate's admission of engagements into training. */
  public EngagementAdmission engagementAdmission() {
    return new EngagementAdmission(maxEngagementsPerSecond(), idDrawSeed());
  }

  /** Where published versions are written, or null. */
  public String exportDir() {
    return conf.get(PublishOptions.EXPORT_DIR);
  }

  /** Warm-start path, or null. */
  public String warmStart() {
    return conf.get(FineTuneOptions.WARM_START);
  }

  /**
   * True when the trainer starts from the model the assigners start from ({@code
   * training.warm-start} unset, so it falls back to {@code model.snapshot} / {@code
   * model.saved-model}, or set to the same path): that model is live already and is not published
   * again.
   */
  public boolean warmStartIsAssignersModel() {
    String warm = warmStart();
    return warm != null
        && (warm.equals(conf.getString("model.snapshot", null))
            || warm.equals(conf.getString("model.saved-model", null)));
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    try {
      for (RecordComponent c : QuasidConfig.class.getRecordComponents()) {
        out.writeObject(c.getAccessor().invoke(model));
      }
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot serialize " + model, e);
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    RecordComponent[] components = QuasidConfig.class.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      values[i] = in.readObject();
      types[i] = components[i].getType();
    }
    try {
      Constructor<QuasidConfig> canonical = QuasidConfig.class.getDeclaredConstructor(types);
      model = canonical.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot restore QuasidConfig from " + Arrays.toString(values), e);
    }
  }
}
