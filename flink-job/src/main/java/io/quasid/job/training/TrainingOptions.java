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

  public static final ConfigOption<Integer> HISTORY_SIZE =
      ConfigOptions.key("training.history-size")
          .intType()
          .defaultValue(50)
          .withDescription("Most distinct recent items kept per user; older ones are dropped.");

  public static final ConfigOption<Duration> HISTORY_TTL =
      ConfigOptions.key("training.history-ttl")
          .durationType()
          .defaultValue(Duration.ofDays(7))
          .withDescription(
              "Processing-time TTL of each history entry, so idle users leave no state behind.");

  public static final ConfigOption<Integer> PAIR_WINDOW_SIZE =
      ConfigOptions.key("training.pair-window-size")
          .intType()
          .defaultValue(10)
          .withDescription("A new engagement pairs with at most this many most recent items.");

  public static final ConfigOption<Duration> PAIR_WINDOW_TIME =
      ConfigOptions.key("training.pair-window-time")
          .durationType()
          .defaultValue(Duration.ofHours(1))
          .withDescription("Only items engaged within this event-time distance form a pair.");

  public static final ConfigOption<Integer> MAX_PAIRS_PER_EVENT =
      ConfigOptions.key("training.max-pairs-per-event")
          .intType()
          .defaultValue(5)
          .withDescription("Cap of pairs per interaction; bounds what one heavy user contributes.");

  public static final ConfigOption<Integer> POPULAR_TARGET_THRESHOLD =
      ConfigOptions.key("training.popular-target-threshold")
          .intType()
          .defaultValue(1000)
          .withDescription(
              "Pairs per target item kept in full; beyond it the n-th pair is kept with "
                  + "probability threshold/n, so popular items do not dominate training.");

  public static final ConfigOption<Duration> POPULARITY_TTL =
      ConfigOptions.key("training.popularity-ttl")
          .durationType()
          .defaultValue(Duration.ofDays(1))
          .withDescription("TTL of the per-target pair count: popularity is recent popularity.");

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

  public static final ConfigOption<Integer> PUBLISH_EVERY_STEPS =
      ConfigOptions.key("training.publish-every-steps")
          .intType()
          .defaultValue(200)
          .withDescription("Try to publish a version after this many steps (0 = never by steps).");

  public static final ConfigOption<Duration> PUBLISH_INTERVAL =
      ConfigOptions.key("training.publish-interval")
          .durationType()
          .defaultValue(Duration.ofMinutes(5))
          .withDescription(
              "Try to publish when this much processing time passed since the last attempt and "
                  + "steps were made since, checked with each record (0 = never by time).");

  public static final ConfigOption<Double> MAX_STEPS_PER_SECOND =
      ConfigOptions.key("training.max-steps-per-second")
          .doubleType()
          .defaultValue(5.0)
          .withDescription(
              "Step budget of the trainer (0 = unlimited). Items and pairs share upstream operators "
                  + "with SID assignment, so a trainer slower than the stream would backpressure "
                  + "assignment; rows arriving faster than the budget go into the replay reservoir "
                  + "(a uniform sample of the stream) instead of triggering a step. Raise it on a GPU.");

  public static final ConfigOption<Double> MAX_ENGAGEMENTS_PER_SECOND =
      ConfigOptions.key("training.max-engagements-per-second")
          .doubleType()
          .defaultValue(1000.0)
          .withDescription(
              "Engagements per second (job-wide) the training branch takes (0 = all). Above it the"
                  + " known-item gate admits a share of users (by a seeded hash, so a user's"
                  + " engagements stay together) sized to the budget: the trainer steps on at most"
                  + " max-steps-per-second x new-rows-per-step new rows anyway, and every further"
                  + " engagement costs the CPU SID assignment shares.");

  public static final ConfigOption<Double> COLLISION_TOLERANCE =
      ConfigOptions.key("training.collision-tolerance")
          .doubleType()
          .defaultValue(0.0)
          .withDescription(
              "A candidate's held-out collision rate may exceed the live version's by at most "
                  + "this much; a negative value demands an improvement. The held-out set is a "
                  + "small sample and collisions grow with catalogue size, so keep this small: "
                  + "0.01 on 600 held-out items let a version with 10x the live catalogue "
                  + "collision rate through in the Beauty demo.");

  public static final ConfigOption<Double> COHERENCE_TOLERANCE =
      ConfigOptions.key("training.coherence-tolerance")
          .doubleType()
          .defaultValue(0.02)
          .withDescription(
              "Quality gate: a candidate's co-engagement coherence (share of co-engaged pairs,"
                  + " from the replay buffer, whose SIDs share their first two codes) may be at"
                  + " most this much below the live version's.");

  public static final ConfigOption<Double> CHURN_BUDGET =
      ConfigOptions.key("training.churn-budget")
          .doubleType()
          .defaultValue(1.0)
          .withDescription(
              "Quality gate: at most this share of the gate sample may change its code tuple in"
                  + " one version (1.0, the default: no limit). Every change invalidates downstream"
                  + " caches and token tables. Measured: fine-tuning at the default learning rates"
                  + " moves 57-100% of items per version, and a rejected candidate only drifts"
                  + " further from the live version, so a budget below that publishes nothing"
                  + " (see TRAINING.md); pair it with churn.policy instead.");

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

  public static final ConfigOption<Integer> GATE_PAIRS =
      ConfigOptions.key("training.gate-pairs")
          .intType()
          .defaultValue(2000)
          .withDescription(
              "Most co-engaged pairs (from the replay buffer) the quality gate measures coherence"
                  + " on.");

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

  public static final ConfigOption<String> EXPORT_DIR =
      ConfigOptions.key("training.export-dir")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Directory (a shared filesystem path) where every published version is written as "
                  + "quasid-v<version>.snapshot, for services that encode outside the job. Written "
                  + "when published, not when checkpointed: after a restart a version number may be "
                  + "written again with the resumed model's weights.");

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
    positive(HISTORY_SIZE);
    positive(PAIR_WINDOW_SIZE);
    positive(MAX_PAIRS_PER_EVENT);
    positive(POPULAR_TARGET_THRESHOLD);
    positive(BATCH_SIZE);
    positive(NEW_ROWS_PER_STEP);
    positive(CATALOGUE_CAPACITY);
    positive(REPLAY_CAPACITY);
    positive(HELD_OUT_CAPACITY);
    positive(INIT_MIN_ROWS);
    require(publishEverySteps() >= 0, PUBLISH_EVERY_STEPS, "must be >= 0");
    require(anchorLatentWeight() >= 0, ANCHOR_LATENT_WEIGHT, "must be >= 0");
    require(anchorCodebookWeight() >= 0, ANCHOR_CODEBOOK_WEIGHT, "must be >= 0");
    conf.getOptional(FINE_TUNE_LEARNING_RATE)
        .ifPresent(r -> require(r > 0, FINE_TUNE_LEARNING_RATE, "must be > 0"));
    conf.getOptional(FINE_TUNE_CODEBOOK_LEARNING_RATE)
        .ifPresent(r -> require(r > 0, FINE_TUNE_CODEBOOK_LEARNING_RATE, "must be > 0"));
    require(
        maxEngagementsPerSecond() >= 0 && Double.isFinite(maxEngagementsPerSecond()),
        MAX_ENGAGEMENTS_PER_SECOND,
        "must be >= 0 (0 = no limit)");
    require(conf.get(INTRA_OP_THREADS) >= 0, INTRA_OP_THREADS, "must be >= 0");
    require(conf.get(INTER_OP_THREADS) >= 0, INTER_OP_THREADS, "must be >= 0");
    require(!slotSharingGroup().isBlank(), SLOT_SHARING_GROUP, "must not be empty");
    require(
        pairWindowSize() <= historySize(), PAIR_WINDOW_SIZE, "must be <= " + HISTORY_SIZE.key());
    require(newRowsPerStep() <= batchSize(), NEW_ROWS_PER_STEP, "must be <= " + BATCH_SIZE.key());
    require(
        catalogueShare() >= 0 && catalogueShare() < 1,
        CATALOGUE_SHARE,
        "must be in [0, 1): a batch needs its new rows");
    require(
        newRowsPerStep() + catalogueRowsPerStep() <= batchSize(),
        CATALOGUE_SHARE,
        "leaves no room for "
            + NEW_ROWS_PER_STEP.key()
            + " in "
            + BATCH_SIZE.key()
            + " (new rows + share x batch must be <= batch)");
    require(
        initMinRows() >= model.codebookSize(),
        INIT_MIN_ROWS,
        "must be >= the codebook size " + model.codebookSize() + " for k-means");
    require(
        replayCapacity() >= initMinRows(), REPLAY_CAPACITY, "must be >= " + INIT_MIN_ROWS.key());
    require(
        heldOutFraction() > 0 && heldOutFraction() <= 1,
        HELD_OUT_FRACTION,
        "must be in (0, 1]: the gate needs a sample");
    require(
        collisionTolerance() >= -1 && collisionTolerance() <= 1,
        COLLISION_TOLERANCE,
        "must be in [-1, 1]");
    require(
        coherenceTolerance() >= 0 && coherenceTolerance() <= 1,
        COHERENCE_TOLERANCE,
        "must be in [0, 1]");
    require(churnBudget() >= 0 && churnBudget() <= 1, CHURN_BUDGET, "must be in [0, 1]");
    require(gatePairs() >= 0, GATE_PAIRS, "must be >= 0");
    nonNegative(HISTORY_TTL, historyTtl());
    nonNegative(POPULARITY_TTL, popularityTtl());
    nonNegative(PAIR_WINDOW_TIME, pairWindowTime());
    nonNegative(PUBLISH_INTERVAL, publishInterval());
    require(
        maxStepsPerSecond() >= 0 && Double.isFinite(maxStepsPerSecond()),
        MAX_STEPS_PER_SECOND,
        "must be a finite number >= 0");
    require(
        !historyTtl().isZero() && !popularityTtl().isZero(),
        HISTORY_TTL,
        "TTLs must be > 0 (state would never expire otherwise)");
    require(
        publishEverySteps() > 0 || !publishInterval().isZero(),
        PUBLISH_EVERY_STEPS,
        "and " + PUBLISH_INTERVAL.key() + " are both 0: nothing would ever be published");
    return this;
  }

  private void positive(ConfigOption<Integer> option) {
    require(conf.get(option) > 0, option, "must be > 0");
  }

  private void nonNegative(ConfigOption<Duration> option, Duration value) {
    require(!value.isNegative(), option, "must not be negative");
  }

  private void require(boolean ok, ConfigOption<?> option, String message) {
    if (!ok) {
      throw new IllegalArgumentException(
          option.key() + " " + message + " (got " + conf.get(option) + ")");
    }
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
    return conf.get(HISTORY_SIZE);
  }

  public Duration historyTtl() {
    return conf.get(HISTORY_TTL);
  }

  public int pairWindowSize() {
    return conf.get(PAIR_WINDOW_SIZE);
  }

  public Duration pairWindowTime() {
    return conf.get(PAIR_WINDOW_TIME);
  }

  public int maxPairsPerEvent() {
    return conf.get(MAX_PAIRS_PER_EVENT);
  }

  public int popularTargetThreshold() {
    return conf.get(POPULAR_TARGET_THRESHOLD);
  }

  public Duration popularityTtl() {
    return conf.get(POPULARITY_TTL);
  }

  public int batchSize() {
    return conf.get(BATCH_SIZE);
  }

  public int newRowsPerStep() {
    return conf.get(NEW_ROWS_PER_STEP);
  }

  public int replayCapacity() {
    return conf.get(REPLAY_CAPACITY);
  }

  public double catalogueShare() {
    return conf.get(CATALOGUE_SHARE);
  }

  /** Rows of each batch drawn from the catalogue sample. */
  public int catalogueRowsPerStep() {
    return (int) Math.round(catalogueShare() * batchSize());
  }

  public int catalogueCapacity() {
    return conf.get(CATALOGUE_CAPACITY);
  }

  public int heldOutCapacity() {
    return conf.get(HELD_OUT_CAPACITY);
  }

  public double heldOutFraction() {
    return conf.get(HELD_OUT_FRACTION);
  }

  public int initMinRows() {
    return conf.get(INIT_MIN_ROWS);
  }

  public int publishEverySteps() {
    return conf.get(PUBLISH_EVERY_STEPS);
  }

  public Duration publishInterval() {
    return conf.get(PUBLISH_INTERVAL);
  }

  public double collisionTolerance() {
    return conf.get(COLLISION_TOLERANCE);
  }

  public double coherenceTolerance() {
    return conf.get(COHERENCE_TOLERANCE);
  }

  public double churnBudget() {
    return conf.get(CHURN_BUDGET);
  }

  public double anchorLatentWeight() {
    return conf.get(ANCHOR_LATENT_WEIGHT);
  }

  public double anchorCodebookWeight() {
    return conf.get(ANCHOR_CODEBOOK_WEIGHT);
  }

  /** Whether fine-tuning is held to the live version ({@link io.quasid.model.Anchors}). */
  public boolean anchoring() {
    return anchorLatentWeight() > 0 || anchorCodebookWeight() > 0;
  }

  /** The warm start's config with the fine-tuning learning rates, where set. */
  public QuasidConfig fineTuned(QuasidConfig warm) {
    QuasidConfig.Builder b = warm.toBuilder();
    conf.getOptional(FINE_TUNE_LEARNING_RATE).ifPresent(r -> b.learningRate(r.floatValue()));
    conf.getOptional(FINE_TUNE_CODEBOOK_LEARNING_RATE)
        .ifPresent(r -> b.codebookLearningRate(r.floatValue()));
    return b.build();
  }

  public int gatePairs() {
    return conf.get(GATE_PAIRS);
  }

  public double maxStepsPerSecond() {
    return conf.get(MAX_STEPS_PER_SECOND);
  }

  public double maxEngagementsPerSecond() {
    return conf.get(MAX_ENGAGEMENTS_PER_SECOND);
  }

  /** The known-item gate's admission of engagements into training. */
  public EngagementAdmission engagementAdmission() {
    return new EngagementAdmission(maxEngagementsPerSecond(), idDrawSeed());
  }

  /** Where published versions are written, or null. */
  public String exportDir() {
    return conf.get(EXPORT_DIR);
  }

  /** Warm-start path, or null. */
  public String warmStart() {
    return conf.get(WARM_START);
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
