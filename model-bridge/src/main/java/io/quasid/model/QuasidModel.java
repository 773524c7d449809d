package io.quasid.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.SavedModelBundle;

/**
 * The QuaSID tokenizer (RQ-VAE + contrastive + Hamming-guided repulsion with valid-pair masking) in
 * TensorFlow Java graph mode.
 *
 * <p>Not thread-safe: one instance per operator/thread. It owns a native graph and session, so it
 * must be closed. Same config (seed included) and same inputs give the same codes: weights and
 * k-means are seeded in Java, dead-code re-seeding is seeded by step.
 */
public final class QuasidModel implements SidTokenizer {

  /** Where {@link #exportSavedModel} keeps what TensorFlow does not: config, step, version. */
  static final String METADATA_FILE = "assets.extra/quasid-model.meta";

  static final String SAVED_MODEL_TAG = "serve";

  private static final Logger LOG = LoggerFactory.getLogger(QuasidModel.class);
  private static final long KMEANS_SEED_SALT = 0x6b6d65616e73L;
  private static final long RESEED_SEED_SALT = 0x7265736565L;
  static final String INFERENCE_ONLY_MESSAGE =
      "inference-only model: restore a full snapshot to train";

  private final QuasidConfig config;
  private final QuasidGraph graph;
  private final DeadCodeTracker deadCodes;
  private final boolean inferenceOnly;
  private long step;
  private long modelVersion;
  private long skippedSteps;
  private boolean codebooksInitialized;
  private boolean closed;

  private QuasidModel(QuasidConfig config, DeadCodeTracker deadCodes, boolean inferenceOnly) {
    this.config = config;
    this.graph = QuasidGraph.build(config);
    this.deadCodes = deadCodes;
    this.inferenceOnly = inferenceOnly;
  }

  /** Builds the graph and initialises weights deterministically from {@code config.seed()}. */
  public static QuasidModel create(QuasidConfig config) {
    QuasidModel model =
        new QuasidModel(config, new DeadCodeTracker(config.levels(), config.codebookSize()), false);
    try {
      model.graph.writeVariables(InitialWeights.generate(model.graph, config.seed()));
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Restores weights, codebooks, optimizer state, step and version from {@link #snapshot()}, or an
   * {@link #inferenceOnly()} model from {@link #inferenceSnapshot()}: it encodes exactly like the
   * model it came from, but cannot train or be snapshotted/exported in full.
   */
  public static QuasidModel restore(byte[] snapshotBytes) {
    return restore(snapshotBytes, (Placement) null);
  }

  /**
   * {@link #restore(byte[])} on the device and thread pools of {@code placement} (null: the
   * snapshot's).
   */
  public static QuasidModel restore(byte[] snapshotBytes, Placement placement) {
    return restore(snapshotBytes, c -> placement == null ? c : placement.applyTo(c));
  }

  /**
   * {@link #restore(byte[])} with the snapshot's config changed by {@code adjust}: placement, or
   * the learning rates of a fine-tune. The structure (sizes, levels, loss terms) must stay.
   */
  public static QuasidModel restore(byte[] snapshotBytes, UnaryOperator<QuasidConfig> adjust) {
    ModelState state = SnapshotCodec.decode(snapshotBytes);
    QuasidConfig config = adjust.apply(state.config());
    QuasidModel model = new QuasidModel(config, state.deadCodes(), state.inferenceOnly());
    try {
      model.adopt(state, state.variables());
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Loads a directory written by {@link #exportSavedModel(Path)}: the variables (Adam slots
   * included) come from the SavedModel, config and counters from its metadata file, so training
   * continues exactly as from a snapshot.
   */
  public static QuasidModel importSavedModel(Path dir) {
    return importSavedModel(dir, (Placement) null);
  }

  /**
   * {@link #importSavedModel(Path)} on the device and thread pools of {@code placement} (null: as
   * exported).
   */
  public static QuasidModel importSavedModel(Path dir, Placement placement) {
    return importSavedModel(dir, c -> placement == null ? c : placement.applyTo(c));
  }

  /** {@link #importSavedModel(Path)} with the exported config changed by {@code adjust}. */
  public static QuasidModel importSavedModel(Path dir, UnaryOperator<QuasidConfig> adjust) {
    ModelState meta;
    try {
      meta = SnapshotCodec.decode(Files.readAllBytes(dir.resolve(METADATA_FILE)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read QuaSID metadata in " + dir, e);
    }
    if (meta.inferenceOnly()) {
      throw new IllegalArgumentException("QuaSID metadata in " + dir + " is inference-only");
    }
    QuasidConfig config = adjust.apply(meta.config());
    QuasidModel model = new QuasidModel(config, meta.deadCodes(), false);
    try (SavedModelBundle bundle =
        SavedModelBundle.loader(dir.toString())
            .withTags(SAVED_MODEL_TAG)
            .withConfigProto(QuasidGraph.sessionConfig(config))
            .load()) {
      model.adopt(meta, QuasidGraph.readVariables(bundle.session(), model.graph.variableNames()));
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private void adopt(ModelState state, Map<String, float[]> variables) {
    Collection<String> needed =
        inferenceOnly ? graph.encodingVariableNames() : graph.variableNames();
    if (!variables.keySet().containsAll(needed)) {
      throw new IllegalArgumentException(
          "snapshot lacks variables: expected " + needed + ", got " + variables.keySet());
    }
    graph.writeVariables(variables);
    step = state.step();
    modelVersion = state.modelVersion();
    skippedSteps = state.skippedSteps();
    codebooksInitialized = state.codebooksInitialized();
  }

  /**
   * k-means (seeded) initialisation of every level's codebook from encoder outputs of sample. Use
   * more rows than codes ({@code codebookSize}); with fewer, each level is fitted with about half
   * as many centroids as rows so that deeper levels still see residuals, and the spare codes are
   * near copies of those centroids (see {@link ResidualKMeans#fit}); a warning is logged.
   */
  public void initCodebooks(float[][] sample) {
    checkTrainable();
    checkVectors(sample);
    if (sample.length <= config.codebookSize()) {
      LOG.warn(
          "k-means codebook initialisation on {} rows for {} codes per level: fitting {} centroids"
              + " per level, the rest are near copies left to dead-code re-seeding",
          sample.length,
          config.codebookSize(),
          ResidualKMeans.fittedCentroids(sample.length, config.codebookSize()));
    }
    float[][][] codebooks =
        ResidualKMeans.fit(
            graph.latent(sample),
            config.levels(),
            config.codebookSize(),
            config.kmeansIterations(),
            config.seed() ^ KMEANS_SEED_SALT ^ step);
    Map<String, float[]> values = new HashMap<>();
    for (int l = 0; l < codebooks.length; l++) {
      values.put(QuasidGraph.codebookName(l), flatten(codebooks[l]));
    }
    graph.writeVariables(values);
    deadCodes.resetAll(step);
    codebooksInitialized = true;
  }

  /** True once codebooks were initialised (by initCodebooks, restore or import). */
  public boolean codebooksInitialized() {
    return codebooksInitialized;
  }

  /**
   * One optimizer step; returns loss terms (pre-update) and collision counts of the batch. A model
   * whose codebooks are not initialised first runs {@link #initCodebooks} on this batch. When the
   * loss or a gradient is non-finite the update is not applied: the result says {@code applied ==
   * false}, {@link #skippedSteps()} grows by one and nothing else changes (step included).
   */
  public TrainResult trainStep(TrainBatch batch) {
    return trainStep(batch, null);
  }

  /**
   * As {@link #trainStep(TrainBatch)}, held to the live version by {@code anchors} (null: not
   * anchored): its latents and row weights are per row of {@code batch}; codes it marks as held are
   * never reseeded as dead codes.
   */
  public TrainResult trainStep(TrainBatch batch, Anchors anchors) {
    checkTrainable();
    checkVectors(batch.vectors());
    if (batch.size() == 0) {
      throw new IllegalArgumentException("a training batch needs at least one row");
    }
    if (!codebooksInitialized) {
      initCodebooks(batch.vectors());
    }
    boolean reseed = config.deadCodeSteps() > 0;
    Forward forward = graph.forward(batch.vectors(), reseed);
    CollisionTiers tiers = tiers(batch, forward.codes());
    ContrastivePairs pairs =
        config.contrastive() ? ContrastivePairs.of(batch, config.contrastiveNegatives()) : null;
    Anchors fed = anchors == null ? Anchors.none(batch.size(), config) : checked(anchors, batch);
    LossValues loss = graph.train(batch.vectors(), forward.codes(), tiers, pairs, fed);
    if (!loss.applied()) {
      skippedSteps++;
      LOG.warn(
          "Skipped the update of step {}: non-finite loss or gradient ({}); {} skipped so far",
          step + 1,
          loss,
          skippedSteps);
      return result(loss, tiers);
    }
    step++;
    deadCodes.observe(forward.codes(), step);
    if (reseed) {
      reseedDeadCodes(forward.levelResiduals(), fed);
    }
    return result(loss, tiers);
  }

  private Anchors checked(Anchors anchors, TrainBatch batch) {
    if (anchors.latents().length != batch.size()) {
      throw new IllegalArgumentException(
          "anchors for " + anchors.latents().length + " rows, batch has " + batch.size());
    }
    if (anchors.codebooks().length != config.levels()) {
      throw new IllegalArgumentException(
          "anchor codebooks for "
              + anchors.codebooks().length
              + " levels, model has "
              + config.levels());
    }
    return anchors;
  }

  private TrainResult result(LossValues loss, CollisionTiers tiers) {
    return new TrainResult(
        step,
        loss.total(),
        loss.reconstruction(),
        loss.quantization(),
        loss.contrastive(),
        loss.repulsionFull(),
        loss.repulsionPartial(),
        loss.anchorLatent(),
        loss.anchorCodebook(),
        tiers.fullPairs(),
        tiers.partialPairs(),
        loss.applied(),
        skippedSteps);
  }

  private CollisionTiers tiers(TrainBatch batch, int[][] codes) {
    return PairMasks.tiers(
        PairMasks.validPairs(batch, config),
        codes,
        config.partialRadius(),
        config.hasPartialSchedule());
  }

  /**
   * Test support: gradients of one loss term on {@code batch} as the next {@link #trainStep} would
   * see them, without updating anything (see {@link QuasidGraph#gradientsOf}).
   */
  Map<String, float[]> gradientsOf(String term, List<String> targets, TrainBatch batch) {
    return gradientsOf(term, targets, batch, null);
  }

  /** As {@link #gradientsOf(String, List, TrainBatch)}, anchored by {@code anchors}. */
  Map<String, float[]> gradientsOf(
      String term, List<String> targets, TrainBatch batch, Anchors anchors) {
    checkTrainable();
    int[][] codes = graph.forward(batch.vectors(), false).codes();
    ContrastivePairs pairs =
        config.contrastive() ? ContrastivePairs.of(batch, config.contrastiveNegatives()) : null;
    Anchors fed = anchors == null ? Anchors.none(batch.size(), config) : checked(anchors, batch);
    return graph.gradientsOf(
        term, targets, batch.vectors(), codes, tiers(batch, codes), pairs, fed);
  }

  /**
   * The live codebooks, {@code [levels][codebookSize][latentDim]}: what {@link Anchors} holds a
   * fine-tuned version to.
   */
  public float[][][] codebooks() {
    checkOpen();
    float[][][] out = new float[config.levels()][config.codebookSize()][config.latentDim()];
    for (int l = 0; l < out.length; l++) {
      float[] flat = graph.readVariable(QuasidGraph.codebookName(l));
      for (int k = 0; k < out[l].length; k++) {
        System.arraycopy(flat, k * config.latentDim(), out[l][k], 0, config.latentDim());
      }
    }
    return out;
  }

  /** Encoder outputs z (before quantization) of {@code vectors}: what {@link Anchors} hold to. */
  public float[][] latent(float[][] vectors) {
    checkOpen();
    checkVectors(vectors);
    return graph.latent(vectors);
  }

  /** Training steps whose update was skipped (non-finite loss or gradient), restores included. */
  public long skippedSteps() {
    return skippedSteps;
  }

  // Dead codes move onto residuals the level actually sees, so they can win assignments again.
  private void reseedDeadCodes(float[][][] levelResiduals, Anchors anchors) {
    SplittableRandom random = new SplittableRandom(config.seed() ^ RESEED_SEED_SALT ^ step);
    Map<String, float[]> updated = new HashMap<>();
    for (int l = 0; l < config.levels(); l++) {
      List<Integer> dead = deadCodes.deadCodes(l, step, config.deadCodeSteps());
      if (dead.isEmpty()) {
        continue;
      }
      String name = QuasidGraph.codebookName(l);
      float[] codebook = graph.readVariable(name);
      float[][] residuals = levelResiduals[l];
      for (int code : dead) {
        if (anchors.holds(l, code)) {
          continue; // it holds items the live version placed: moving it would move them
        }
        float[] source = residuals[random.nextInt(residuals.length)];
        System.arraycopy(source, 0, codebook, code * config.latentDim(), config.latentDim());
        deadCodes.markUsed(l, code, step);
      }
      updated.put(name, codebook);
    }
    graph.writeVariables(updated);
  }

  @Override
  public Encoding encode(float[][] vectors) {
    checkOpen();
    checkVectors(vectors);
    if (vectors.length == 0) {
      return new Encoding(new int[0][], new float[0]);
    }
    Forward forward = graph.forward(vectors, false);
    return new Encoding(forward.codes(), forward.residualNorms());
  }

  @Override
  public float[] residualNorms(float[][] vectors, int[][] codes) {
    checkOpen();
    checkVectors(vectors);
    if (vectors.length != codes.length) {
      throw new IllegalArgumentException(
          vectors.length + " vectors but " + codes.length + " code tuples");
    }
    if (vectors.length == 0) {
      return new float[0];
    }
    return fitOf(graph.latent(vectors), codes);
  }

  /** One forward pass: the latent it fetches as well gives the held codes' fit. */
  @Override
  public Reencoding reencode(float[][] vectors, int[][] held) {
    checkOpen();
    checkVectors(vectors);
    if (vectors.length != held.length) {
      throw new IllegalArgumentException(
          vectors.length + " vectors but " + held.length + " held code tuples");
    }
    if (vectors.length == 0) {
      return new Reencoding(new Encoding(new int[0][], new float[0]), new float[0]);
    }
    Forward forward = graph.forward(vectors, false, true);
    return new Reencoding(
        new Encoding(forward.codes(), forward.residualNorms()), fitOf(forward.latent(), held));
  }

  /** |z - sum_l C_l[codes_l]| per row; NaN for a row without codes. */
  private float[] fitOf(float[][] latent, int[][] codes) {
    float[][] codebooks = graph.readCodebooks();
    int d = config.latentDim();
    float[] norms = new float[latent.length];
    for (int i = 0; i < latent.length; i++) {
      if (codes[i] == null) {
        norms[i] = Float.NaN;
        continue;
      }
      float[] residual = latent[i].clone();
      for (int l = 0; l < config.levels(); l++) {
        int code = codes[i][l];
        if (code < 0 || code >= config.codebookSize()) {
          throw new IllegalArgumentException("code " + code + " at level " + l + " out of range");
        }
        for (int k = 0; k < d; k++) {
          residual[k] -= codebooks[l][code * d + k];
        }
      }
      double sum = 0;
      for (float r : residual) {
        sum += (double) r * r;
      }
      norms[i] = (float) Math.sqrt(sum);
    }
    return norms;
  }

  /** Marks the current weights as a new published version and returns it. */
  public long bumpVersion() {
    return ++modelVersion;
  }

  /**
   * Everything needed to resume training: config, counters, dead-code state and every variable
   * (Adam slots and beta powers included). Fails on an {@link #inferenceOnly()} model.
   */
  public ModelSnapshot snapshot() {
    checkTrainable();
    byte[] bytes = SnapshotCodec.encode(state(graph.readVariables(), false));
    return new ModelSnapshot(modelVersion, step, bytes);
  }

  /**
   * What encoding needs and nothing more, for models broadcast to encoding operators: config,
   * counters and the variables the quantizing path reads (encoder and codebooks; no decoder, no
   * Adam slots or beta powers, no dead-code state), about a third of {@link #snapshot()}. {@link
   * #restore} turns it into an {@link #inferenceOnly()} model that encodes bit-identically.
   */
  public ModelSnapshot inferenceSnapshot() {
    checkOpen();
    byte[] bytes = SnapshotCodec.encode(state(graph.readEncodingVariables(), true));
    return new ModelSnapshot(modelVersion, step, bytes);
  }

  /**
   * True for a model restored from {@link #inferenceSnapshot()}: it encodes, but {@link
   * #trainStep}, {@link #initCodebooks}, {@link #snapshot()} and {@link #exportSavedModel} throw
   * {@link IllegalStateException}.
   */
  public boolean inferenceOnly() {
    return inferenceOnly;
  }

  /**
   * Writes a TensorFlow SavedModel (tag "serve", signature "serving_default": float {@code
   * vectors[n][inputDim]} -> int32 {@code codes[n][levels]} and float {@code residual_norms[n]})
   * plus {@value #METADATA_FILE} for {@link #importSavedModel}. The directory must not exist yet or
   * be empty.
   */
  public void exportSavedModel(Path dir) {
    checkTrainable();
    graph.exportSavedModel(dir);
    Path meta = dir.resolve(METADATA_FILE);
    try {
      Files.createDirectories(meta.getParent());
      Files.write(meta, SnapshotCodec.encode(state(Map.of(), false)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write QuaSID metadata to " + meta, e);
    }
  }

  public QuasidConfig config() {
    return config;
  }

  public long step() {
    return step;
  }

  @Override
  public int inputDim() {
    return config().inputDim();
  }

  @Override
  public String featureSpace() {
    return config().featureSpace();
  }

  @Override
  public int levels() {
    return config().levels();
  }

  @Override
  public int codebookSize() {
    return config().codebookSize();
  }

  @Override
  public long modelVersion() {
    return modelVersion;
  }

  /** Releases the native graph and session; further calls fail. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      graph.close();
    }
  }

  private ModelState state(Map<String, float[]> variables, boolean encodingOnly) {
    return new ModelState(
        config,
        step,
        modelVersion,
        skippedSteps,
        codebooksInitialized,
        deadCodes,
        variables,
        encodingOnly);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("model is closed");
    }
  }

  // An inference-only model never wrote its decoder or optimizer variables: running them would
  // fail deep in TensorFlow, so training and full persistence stop here.
  private void checkTrainable() {
    checkOpen();
    if (inferenceOnly) {
      throw new IllegalStateException(INFERENCE_ONLY_MESSAGE);
    }
  }

  private void checkVectors(float[][] vectors) {
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i].length != config.inputDim()) {
        throw new IllegalArgumentException(
            "vector "
                + i
                + " has dimension "
                + vectors[i].length
                + ", expected "
                + config.inputDim());
      }
    }
  }

  private static float[] flatten(float[][] m) {
    int cols = m[0].length;
    float[] out = new float[m.length * cols];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, out, i * cols, cols);
    }
    return out;
  }
}
