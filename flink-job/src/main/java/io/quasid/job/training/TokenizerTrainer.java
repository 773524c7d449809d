package io.quasid.job.training;

import io.quasid.job.types.ModelUpdate;
import io.quasid.model.Anchors;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import io.quasid.model.TrainBatch;
import io.quasid.model.TrainResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The continuous trainer: one instance owns the QuaSID model and fine-tunes it on the stream.
 *
 * <ul>
 *   <li>Items whose id hashes into the held-out fraction also feed the gate's evaluation sample
 *       (the option keys keep the name "held-out"; the items are trained like all others).
 *   <li>Until enough rows are buffered, examples only fill the replay buffer; then the codebooks
 *       are k-means-initialised from it and that first model is offered as a version.
 *   <li>Afterwards, each {@code new-rows-per-step} new rows make one step on a batch of those rows,
 *       {@code catalogue-share} of the batch drawn uniformly from a sample of distinct catalogue
 *       items, and replay samples up to {@code batch-size}; the new rows then enter the replay
 *       reservoir. Without the catalogue rows the batches follow interactions, which favour popular
 *       items, and the long tail collides more with every version.
 *   <li>Every {@code publish-every-steps} steps or {@code publish-interval} of processing time, the
 *       candidate goes through the {@link QualityGate}; if accepted its version is bumped and its
 *       snapshot emitted as a {@link ModelUpdate}. A candidate rejected for a non-finite loss is
 *       rolled back to the live version (a fresh model when none is live); one rejected for
 *       collisions keeps training.
 * </ul>
 *
 * <p>Operator state (restored in full by {@link #initializeState}): the model snapshot (weights,
 * codebooks, optimizer slots, step, version), the live version's snapshot, the replay, gate,
 * catalogue and pending examples, and the {@link TrainerProgress} counters. A restart therefore
 * resumes the same model, version and step, never from scratch.
 *
 * <p>Parallelism is pinned to 1: with n subtasks each would train a diverging copy on its share and
 * publish conflicting versions under the same numbers, so {@link #open} refuses to run with more
 * than one.
 */
public class TokenizerTrainer extends KeyedProcessFunction<Byte, TrainingExample, ModelUpdate>
    implements CheckpointedFunction, CheckpointListener {

  private static final Logger LOG = LoggerFactory.getLogger(TokenizerTrainer.class);

  /** The single key the trainer's input is keyed by. */
  public static final Byte KEY = 0;

  private static final long HELD_OUT_SALT = 0x4E1D0L;
  private static final long CATALOGUE_SALT = 0xCA7A1L;

  private final TrainingOptions options;

  private transient QualityGate gate;
  private transient QuasidModel model;

  /** Restored lazily from {@link #liveSnapshot} to score the live version on the held-out set. */
  private transient QuasidModel liveModel;

  private transient long idDrawSeed;

  /** The live version's codebooks and held codes for anchoring; null until first needed. */
  private transient float[][][] liveCodebooks;

  private transient float[][] heldCodes;

  private transient byte[] liveSnapshot;
  private transient ReplayBuffer replay;
  private transient ItemReservoir heldOut;
  private transient ItemReservoir catalogue;
  private transient List<TrainingExample> pending;
  private transient int pendingRows;
  private transient TrainerProgress progress;
  private transient TrainerMetrics metrics;

  /** Processing time of the last step; not checkpointed, a restart may step at once. */
  private transient long lastStepTime;

  private transient ListState<byte[]> modelState;
  private transient ListState<byte[]> liveState;
  private transient ListState<TrainingExample> replayState;
  private transient ListState<TrainingExample> heldOutState;
  private transient ListState<TrainingExample> catalogueState;
  private transient ListState<TrainingExample> pendingState;
  private transient ListState<TrainerProgress> progressState;
  private transient ListState<PendingExport> exportState;
  private transient VersionExports exports;

  public TokenizerTrainer(TrainingOptions options) {
    this.options = options.validate();
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    OperatorStateStore store = context.getOperatorStateStore();
    modelState = store.getListState(new ListStateDescriptor<>("trainer-model", byte[].class));
    liveState = store.getListState(new ListStateDescriptor<>("live-model", byte[].class));
    replayState =
        store.getListState(new ListStateDescriptor<>("replay-examples", TrainingExample.class));
    heldOutState =
        store.getListState(new ListStateDescriptor<>("held-out-items", TrainingExample.class));
    catalogueState =
        store.getListState(new ListStateDescriptor<>("catalogue-items", TrainingExample.class));
    pendingState =
        store.getListState(new ListStateDescriptor<>("pending-examples", TrainingExample.class));
    progressState =
        store.getListState(new ListStateDescriptor<>("trainer-progress", TrainerProgress.class));
    exportState =
        store.getListState(new ListStateDescriptor<>("pending-exports", PendingExport.class));
    exports = new VersionExports(options.exportDir());

    gate =
        new QualityGate(
            options.collisionTolerance(), options.coherenceTolerance(), options.churnBudget());
    replay = new ReplayBuffer(options.replayCapacity(), options.seed());
    // Hashed from training.secret once: every item example asks isHeldOut.
    idDrawSeed = options.idDrawSeed();
    heldOut = new ItemReservoir(options.heldOutCapacity(), idDrawSeed);
    catalogue = new ItemReservoir(options.catalogueCapacity(), idDrawSeed ^ CATALOGUE_SALT);
    pending = new ArrayList<>();
    pendingRows = 0;

    byte[] checkpointed = first(modelState.get());
    if (context.isRestored() && checkpointed != null) {
      progress = first(progressState.get());
      model = QuasidModel.restore(checkpointed, options.placement());
      liveSnapshot = first(liveState.get());
      replay.restore(list(replayState.get()), progress.replayOffered);
      heldOut.restore(list(heldOutState.get()));
      catalogue.restore(list(catalogueState.get()));
      for (TrainingExample e : pendingState.get()) {
        pending.add(e);
        pendingRows += e.rows();
      }
      exports.restored(exportState.get());
      LOG.info("Trainer resumed at version {} step {}", model.modelVersion(), model.step());
    } else {
      progress = new TrainerProgress();
      model = startingModel();
      if (model.codebooksInitialized() && options.warmStartIsAssignersModel()) {
        // The assigners encode with this model already; publishing it as the next version would
        // make every assigner re-encode its whole catalogue for no change (streaming benchmark).
        // It is the live version the gate compares the first candidates against, and the publish
        // cadence counts from it.
        liveSnapshot = model.snapshot().bytes();
        // It placed the whole catalogue: every item is known until a trained version is live.
        progress.liveCut = Long.MAX_VALUE;
        progress.lastAttemptStep = model.step();
        progress.cadenceStartsAtFirstRecord = true;
      } else {
        progress.publishDue = model.codebooksInitialized();
        progress.warmStartPending = options.warmStart() != null;
      }
    }
  }

  private QuasidModel startingModel() throws IOException {
    String warmStart = options.warmStart();
    if (warmStart == null) {
      return QuasidModel.create(options.placement().applyTo(options.model()));
    }
    Path path = Path.of(warmStart);
    UnaryOperator<QuasidConfig> fineTune = c -> options.fineTuned(options.placement().applyTo(c));
    QuasidModel warm =
        Files.isDirectory(path)
            ? QuasidModel.importSavedModel(path, fineTune)
            : QuasidModel.restore(Files.readAllBytes(path), fineTune);
    if (warm.inputDim() != options.model().inputDim()) {
      warm.close();
      throw new IllegalArgumentException(
          "warm start "
              + path
              + " expects inputDim "
              + warm.inputDim()
              + ", the job's features have "
              + options.model().inputDim());
    }
    LOG.info("Trainer warm-started from {} at version {}", path, warm.modelVersion());
    return warm;
  }

  @Override
  public void open(OpenContext openContext) {
    int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    if (parallelism != 1) {
      throw new IllegalStateException(
          "TokenizerTrainer must run with parallelism 1 (one model, one version sequence), got "
              + parallelism);
    }
    lastStepTime = Long.MIN_VALUE / 2;
    metrics =
        new TrainerMetrics(
            getRuntimeContext().getMetricGroup(),
            model.levels(),
            () -> model.modelVersion(),
            () -> model.step(),
            () -> (double) replay.size() / replay.capacity(),
            () -> catalogue.size(),
            () -> heldOut.size());
  }

  @Override
  public void processElement(TrainingExample example, Context ctx, Collector<ModelUpdate> out) {
    metrics.examplesIn(1);
    if (example.deleted) {
      catalogue.remove(example.itemId);
      heldOut.remove(example.itemId);
      return;
    }
    if (!wellFormed(example)) {
      // Upstream validation should have caught it; dropping beats a restart loop on one record.
      metrics.dropped();
      return;
    }
    long now = ctx.timerService().currentProcessingTime();
    if (progress.cadenceStartsAtFirstRecord) {
      progress.cadenceStartsAtFirstRecord = false;
      progress.lastAttemptTime = now;
    }
    if (!example.isPair()) {
      catalogue.offer(example);
      progress.newestItemTime = Math.max(progress.newestItemTime, example.eventTime);
      if (isHeldOut(example.itemId)) {
        // The gate's sample is trained like every other item: collisions are a catalogue-wide
        // property, and a sample kept out of training was measured at 0.08% while the Beauty
        // catalogue it was meant to represent stood at 3.35%.
        heldOut.offer(example);
      }
    }
    if (!model.codebooksInitialized()) {
      replay.offer(example);
      if (replay.rows() >= options.initMinRows()) {
        model.initCodebooks(replay.vectors());
        progress.publishDue = true;
        LOG.info("Codebooks initialised from {} buffered rows", replay.rows());
      }
    } else {
      pending.add(example);
      pendingRows += example.rows();
      if (pendingRows >= options.newRowsPerStep()) {
        if (withinStepBudget(now)) {
          step(now);
        } else {
          deferToReplay(ctx, now);
        }
      }
    }
    if (model.codebooksInitialized() && (progress.publishDue || publishCadenceReached(now))) {
      attemptPublish(now, out);
    }
  }

  private boolean wellFormed(TrainingExample example) {
    return fits(example.vector) && (!example.isPair() || fits(example.targetVector));
  }

  private boolean fits(float[] vector) {
    if (vector == null || vector.length != options.model().inputDim()) {
      return false;
    }
    for (float v : vector) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private boolean isHeldOut(String itemId) {
    return SeededDraws.uniform(idDrawSeed, HELD_OUT_SALT, SeededDraws.idHash(itemId))
        < options.heldOutFraction();
  }

  private boolean withinStepBudget(long now) {
    double perSecond = options.maxStepsPerSecond();
    return perSecond <= 0 || now - lastStepTime >= 1000.0 / perSecond;
  }

  /**
   * Over budget: the rows go into the replay reservoir and count as a debt of replay-only steps,
   * paid by a processing-time timer at the budget's rate, also when the stream has gone quiet.
   */
  private void deferToReplay(Context ctx, long now) {
    pending.forEach(replay::offer);
    metrics.deferred(pending.size());
    progress.deferredRows += pendingRows;
    pending.clear();
    pendingRows = 0;
    scheduleReplayStep(ctx, now);
  }

  private void scheduleReplayStep(Context ctx, long now) {
    ctx.timerService().registerProcessingTimeTimer(nextStepTime(now));
  }

  private long nextStepTime(long now) {
    return Math.max(now, lastStepTime + (long) Math.ceil(1000.0 / options.maxStepsPerSecond()));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelUpdate> out) {
    if (progress.deferredRows <= 0 || !model.codebooksInitialized()) {
      return;
    }
    long now = ctx.timerService().currentProcessingTime();
    if (!withinStepBudget(now)) {
      scheduleReplayStep(ctx, now);
      return;
    }
    step(now);
    progress.deferredRows = Math.max(0, progress.deferredRows - options.newRowsPerStep());
    if (publishCadenceReached(now)) {
      attemptPublish(now, out);
    }
    if (progress.deferredRows > 0) {
      scheduleReplayStep(ctx, now);
    }
  }

  private void step(long now) {
    lastStepTime = now;
    List<TrainingExample> batch = new ArrayList<>(pending);
    List<TrainingExample> coverage =
        catalogue.sample(options.catalogueRowsPerStep(), progress.draws);
    batch.addAll(coverage);
    batch.addAll(
        replay.sample(options.batchSize() - pendingRows - coverage.size(), progress.draws++));
    TrainBatch rows = TrainBatches.of(batch);
    TrainResult result = model.trainStep(rows, anchors(batch, rows));
    metrics.stepped(result);
    // A non-finite step is skipped inside the model (weights untouched), so only a finite-looking
    // update that was applied can have spoiled the candidate.
    progress.lossesFinite &= result.isFinite() || !result.applied();
    if (result.isFinite()) {
      pending.forEach(replay::offer);
    } else {
      // The new rows are the likely culprit: keep them out of the replay buffer.
      metrics.dropped(pending.size());
    }
    pending.clear();
    pendingRows = 0;
  }

  /** What holds this step to the live version, or null when not anchoring (or none is live). */
  private Anchors anchors(List<TrainingExample> batch, TrainBatch rows) {
    if (!options.anchoring() || liveSnapshot == null) {
      return null;
    }
    QuasidModel live = liveModel();
    if (liveCodebooks == null) {
      liveCodebooks = live.codebooks();
      heldCodes = heldCodes(live);
    }
    return new Anchors(
        live.latent(rows.vectors()),
        TrainBatches.anchorWeights(batch, progress.liveCut),
        (float) options.anchorLatentWeight(),
        liveCodebooks,
        heldCodes,
        (float) options.anchorCodebookWeight());
  }

  /** Codes that hold items of the catalogue sample under the live version. */
  private float[][] heldCodes(QuasidModel live) {
    float[][] held = new float[live.levels()][live.codebookSize()];
    float[][] sample = catalogue.vectors();
    if (sample.length == 0) {
      return held;
    }
    for (int[] codes : live.encode(sample).codes()) {
      for (int l = 0; l < codes.length; l++) {
        held[l][codes[l]] = 1f;
      }
    }
    return held;
  }

  private boolean publishCadenceReached(long now) {
    long steps = model.step() - progress.lastAttemptStep;
    long everySteps = options.publishEverySteps();
    long intervalMillis = options.publishInterval().toMillis();
    return (everySteps > 0 && steps >= everySteps)
        || (intervalMillis > 0 && steps > 0 && now - progress.lastAttemptTime >= intervalMillis);
  }

  private void attemptPublish(long now, Collector<ModelUpdate> out) {
    progress.publishDue = false;
    progress.lastAttemptStep = model.step();
    progress.lastAttemptTime = now;
    float[][] heldOutVectors = heldOut.vectors();
    List<TrainingExample> pairs =
        replay.contents().stream()
            .filter(TrainingExample::isPair)
            .limit(options.gatePairs())
            .toList();
    float[][] triggers = pairs.stream().map(p -> p.vector).toArray(float[][]::new);
    float[][] targets = pairs.stream().map(p -> p.targetVector).toArray(float[][]::new);
    GateMeasurement candidate =
        progress.lossesFinite ? GateMeasurement.of(model, heldOutVectors, triggers, targets) : null;
    GateMeasurement live =
        liveSnapshot == null
            ? null
            : GateMeasurement.of(liveModel(), heldOutVectors, triggers, targets);
    GateDecision decision = gate.evaluate(progress.lossesFinite, candidate, live);
    metrics.gated(decision, candidate, live);
    if (!decision.accepted()) {
      LOG.warn(
          "Candidate at step {} rejected on {}: {}",
          model.step(),
          decision.failed(),
          decision.reason());
      if (!decision.lossesFinite()) {
        rollBack();
      }
      return;
    }
    long version = model.bumpVersion();
    byte[] snapshot = model.snapshot().bytes();
    replaceLive(snapshot);
    metrics.published();
    LOG.info("Published version {} at step {}: {}", version, model.step(), decision.reason());
    exports.published(version, snapshot);
    // Assigners only encode: they get (and keep in broadcast state) the weights encoding reads,
    // about a sixth of the training snapshot with its decoder and Adam slots.
    byte[] forAssigners = model.inferenceSnapshot().bytes();
    out.collect(
        new ModelUpdate(
            version, model.step(), forAssigners, now, candidate.usage().collisionRate()));
  }

  private QuasidModel liveModel() {
    if (liveModel == null) {
      liveModel = QuasidModel.restore(liveSnapshot, options.placement());
    }
    return liveModel;
  }

  private void replaceLive(byte[] snapshot) {
    liveSnapshot = snapshot;
    // A warm start placed the catalogue it was loaded against, whether or not this trainer has seen
    // its items yet; a trained version placed what the trainer had seen when it went live.
    progress.liveCut = progress.warmStartPending ? Long.MAX_VALUE : progress.newestItemTime;
    progress.warmStartPending = false;
    liveCodebooks = null;
    heldCodes = null;
    if (liveModel != null) {
      liveModel.close();
      liveModel = null;
    }
  }

  /** Drops weights that produced a non-finite loss; training continues from the live version. */
  private void rollBack() {
    model.close();
    model =
        liveSnapshot == null
            ? QuasidModel.create(options.placement().applyTo(options.model()))
            : QuasidModel.restore(liveSnapshot, options.placement());
    progress.lossesFinite = true;
    progress.lastAttemptStep = model.step();
    metrics.rolledBack();
    LOG.warn("Rolled back to version {} at step {}", model.modelVersion(), model.step());
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    modelState.update(List.of(model.snapshot().bytes()));
    liveState.update(liveSnapshot == null ? List.of() : List.of(liveSnapshot));
    replayState.update(replay.contents());
    heldOutState.update(heldOut.contents());
    catalogueState.update(catalogue.contents());
    pendingState.update(new ArrayList<>(pending));
    progress.replayOffered = replay.offered();
    progressState.update(List.of(progress));
    exportState.update(exports.snapshot(context.getCheckpointId()));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    exports.checkpointCompleted(checkpointId);
  }

  @Override
  public void close() {
    if (liveModel != null) {
      liveModel.close();
      liveModel = null;
    }
    if (model != null) {
      model.close();
      model = null;
    }
  }

  /** Current model version, for tests and logs. */
  long modelVersion() {
    return model.modelVersion();
  }

  long modelStep() {
    return model.step();
  }

  TrainerMetrics metrics() {
    return metrics;
  }

  int heldOutSize() {
    return heldOut.size();
  }

  int catalogueSize() {
    return catalogue.size();
  }

  int replaySize() {
    return replay.size();
  }

  private static <T> T first(Iterable<T> values) {
    Iterator<T> it = values.iterator();
    return it.hasNext() ? it.next() : null;
  }

  private static <T> List<T> list(Iterable<T> values) {
    List<T> out = new ArrayList<>();
    values.forEach(out::add);
    return out;
  }
}
