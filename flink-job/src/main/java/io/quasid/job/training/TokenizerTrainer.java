package io.quasid.job.training;

import io.quasid.job.types.ModelUpdate;
import io.quasid.model.Anchors;
import io.quasid.model.QuasidModel;
import io.quasid.model.TrainBatch;
import io.quasid.model.TrainResult;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
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
 * <p>Operator state ({@link TrainerCheckpoint}, restored in full by {@link #initializeState}): the
 * model snapshot (weights, codebooks, optimizer slots, step, version), the live version's snapshot,
 * the replay, gate, catalogue and pending examples ({@link TrainingSamples}), and the {@link
 * TrainerProgress} counters. A restart therefore resumes the same model, version and step, never
 * from scratch.
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

  private final TrainingOptions options;

  private transient QualityGate gate;
  private transient QuasidModel model;
  private transient LiveVersion live;
  private transient TrainingSamples samples;
  private transient TrainerProgress progress;
  private transient TrainerMetrics metrics;

  /** Processing time of the last step; not checkpointed, a restart may step at once. */
  private transient long lastStepTime;

  private transient TrainerCheckpoint checkpoint;
  private transient VersionExports exports;

  public TokenizerTrainer(TrainingOptions options) {
    this.options = options.validate();
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    checkpoint = new TrainerCheckpoint(context.getOperatorStateStore());
    exports = new VersionExports(options.exportDir());

    gate =
        new QualityGate(
            options.collisionTolerance(), options.coherenceTolerance(), options.churnBudget());
    samples = new TrainingSamples(options);
    live = new LiveVersion(options.placement());

    byte[] checkpointed = checkpoint.model();
    if (context.isRestored() && checkpointed != null) {
      progress = checkpoint.progress();
      model = QuasidModel.restore(checkpointed, options.placement());
      live.replace(checkpoint.live());
      checkpoint.restoreSamples(samples, progress.replayOffered);
      exports.restored(checkpoint.exports());
      LOG.info("Trainer resumed at version {} step {}", model.modelVersion(), model.step());
    } else {
      progress = new TrainerProgress();
      model = StartingModel.of(options);
      if (model.codebooksInitialized() && options.warmStartIsAssignersModel()) {
        // The assigners encode with this model already; publishing it as the next version would
        // make every assigner re-encode its whole catalogue for no change (streaming benchmark).
        // It is the live version the gate compares the first candidates against, and the publish
        // cadence counts from it.
        live.replace(model.snapshot().bytes());
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
            () -> samples.replayFill(),
            () -> samples.catalogueSize(),
            () -> samples.heldOutSize());
  }

  @Override
  public void processElement(TrainingExample example, Context ctx, Collector<ModelUpdate> out) {
    metrics.examplesIn(1);
    if (example.deleted) {
      samples.remove(example.itemId);
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
      samples.offerItem(example);
      progress.newestItemTime = Math.max(progress.newestItemTime, example.eventTime);
    }
    if (!model.codebooksInitialized()) {
      samples.offerToReplay(example);
      if (samples.replayRows() >= options.initMinRows()) {
        model.initCodebooks(samples.replayVectors());
        progress.publishDue = true;
        LOG.info("Codebooks initialised from {} buffered rows", samples.replayRows());
      }
    } else {
      samples.addPending(example);
      if (samples.pendingRows() >= options.newRowsPerStep()) {
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

  private boolean withinStepBudget(long now) {
    double perSecond = options.maxStepsPerSecond();
    return perSecond <= 0 || now - lastStepTime >= 1000.0 / perSecond;
  }

  /**
   * Over budget: the rows go into the replay reservoir and count as a debt of replay-only steps,
   * paid by a processing-time timer at the budget's rate, also when the stream has gone quiet.
   */
  private void deferToReplay(Context ctx, long now) {
    metrics.deferred(samples.pendingExamples());
    progress.deferredRows += samples.pendingRows();
    samples.pendingToReplay();
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
    List<TrainingExample> batch = samples.batch(progress.draws++);
    TrainBatch rows = TrainBatches.of(batch);
    TrainResult result = model.trainStep(rows, anchors(batch, rows));
    metrics.stepped(result);
    // A non-finite step is skipped inside the model (weights untouched), so only a finite-looking
    // update that was applied can have spoiled the candidate.
    progress.lossesFinite &= result.isFinite() || !result.applied();
    if (result.isFinite()) {
      samples.pendingToReplay();
    } else {
      // The new rows are the likely culprit: keep them out of the replay buffer.
      metrics.dropped(samples.pendingExamples());
      samples.dropPending();
    }
  }

  /** What holds this step to the live version, or null when not anchoring (or none is live). */
  private Anchors anchors(List<TrainingExample> batch, TrainBatch rows) {
    if (!options.anchoring() || !live.isLive()) {
      return null;
    }
    return live.anchors(
        rows,
        TrainBatches.anchorWeights(batch, progress.liveCut),
        samples::catalogueVectors,
        options.anchorLatentWeight(),
        options.anchorCodebookWeight());
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
    float[][] heldOutVectors = samples.heldOutVectors();
    List<TrainingExample> pairs = samples.replayedPairs(options.gatePairs());
    float[][] triggers = pairs.stream().map(p -> p.vector).toArray(float[][]::new);
    float[][] targets = pairs.stream().map(p -> p.targetVector).toArray(float[][]::new);
    GateMeasurement candidate =
        progress.lossesFinite ? GateMeasurement.of(model, heldOutVectors, triggers, targets) : null;
    GateMeasurement current =
        live.isLive() ? GateMeasurement.of(live.model(), heldOutVectors, triggers, targets) : null;
    GateDecision decision = gate.evaluate(progress.lossesFinite, candidate, current);
    metrics.gated(decision, candidate, current);
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

  private void replaceLive(byte[] snapshot) {
    live.replace(snapshot);
    // A warm start placed the catalogue it was loaded against, whether or not this trainer has seen
    // its items yet; a trained version placed what the trainer had seen when it went live.
    progress.liveCut = progress.warmStartPending ? Long.MAX_VALUE : progress.newestItemTime;
    progress.warmStartPending = false;
  }

  /** Drops weights that produced a non-finite loss; training continues from the live version. */
  private void rollBack() {
    model.close();
    model =
        live.isLive()
            ? QuasidModel.restore(live.snapshot(), options.placement())
            : StartingModel.fresh(options);
    progress.lossesFinite = true;
    progress.lastAttemptStep = model.step();
    metrics.rolledBack();
    LOG.warn("Rolled back to version {} at step {}", model.modelVersion(), model.step());
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    checkpoint.update(
        model.snapshot().bytes(),
        live.snapshot(),
        samples,
        progress,
        exports.snapshot(context.getCheckpointId()));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    exports.checkpointCompleted(checkpointId);
  }

  @Override
  public void close() {
    if (live != null) {
      live.close();
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
    return samples.heldOutSize();
  }

  int catalogueSize() {
    return samples.catalogueSize();
  }

  int replaySize() {
    return samples.replaySize();
  }
}
