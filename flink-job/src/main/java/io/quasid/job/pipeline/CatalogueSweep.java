package io.quasid.job.pipeline;

import io.quasid.job.types.ModelUpdate;
import io.quasid.model.Encoding;
import io.quasid.model.Reencoding;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SidAssigner}'s re-encoding of the items it already holds when a new model version goes
 * live.
 *
 * <p><b>Re-encoding in slices.</b> A new version is applied to this subtask's items {@code
 * sliceSize} at a time, each slice in its own processing-time timer callback, so checkpoint
 * barriers and new items pass between slices and memory is bounded by the slice; {@link
 * SweepPacing} sets the pause between slices from what the input needs. New and changed items are
 * encoded with the new version at once; the sweep skips items already at the live version. Within a
 * slice LEAVEs go first (freed suffixes can be reused) and JOINs are sorted by item id. The sweep's
 * version is in operator state: after a restore the sweep starts over and skips what is done (items
 * the churn policy kept are asked again, with the same answer), and so are the key groups whose
 * sweep had ended at the checkpoint ({@link SweepProgress}, after a rescale too).
 *
 * <p><b>Migration reports.</b> The sweep's counts go out as {@link MigrationReports}.
 */
final class CatalogueSweep {

  /** Namespace of the slice timers in the operator's timer service. */
  static final String TIMER = "sweep";

  // The operator's logger, so the sweep's log lines read as they did when it was part of it.
  private static final Logger LOG = LoggerFactory.getLogger(SidAssigner.class);

  private final ChurnPolicy churnPolicy;
  private final int sliceSize;
  private final int batchSize;
  private final SweepPacing pacing;
  private final SweepHost host;
  private final ValueState<ItemState> itemState;
  private final InternalTimerService<String> timers;
  private final LiveTokenizer tokenizer;
  private final MigrationReports reports;
  private final KeyGroupRange keyGroups;
  private final int maxParallelism;
  private final Counter keptByPolicy;
  private final Counter sweepSlices;

  /** Version being swept, or -1. */
  private long version = -1;

  /** This subtask's item keys, one pass per sweep (another after a heap backend's restart). */
  private final SweepKeys keys;

  private final SweepProgress progress;

  /** The version being swept, whose JOINs the moves are. */
  private ModelUpdate update;

  /** Counts of the whole sweep, for its log line and the churn gauge. */
  private SweepTotals totals = new SweepTotals();

  /**
   * Timestamp of the one slice timer this subtask follows (-1: none); restored extras are ignored.
   */
  private long scheduledSlice = -1;

  private long lastChurn;

  /** Under {@code BUDGET}: the sweep's best movers so far, and its changed-code count. */
  private BudgetedMoves budget;

  /** {@code churn.policy} and the {@code assigner.*} options the sweep follows. */
  record Settings(ChurnPolicy churnPolicy, int sliceSize, int batchSize, double reencodeShare) {}

  /**
   * @param host the operator: its current key moves along the swept items
   * @param progress the operator's record of how far the sweep got, restored or fresh
   * @param output the operator's output, for the migration reports
   */
  CatalogueSweep(
      Settings settings,
      SweepHost host,
      SweepProgress progress,
      LiveTokenizer tokenizer,
      Output<StreamRecord<BucketChange>> output,
      TaskInfo task,
      MetricGroup metrics) {
    this.churnPolicy = settings.churnPolicy();
    this.sliceSize = settings.sliceSize();
    this.batchSize = settings.batchSize();
    this.pacing = new SweepPacing(settings.reencodeShare());
    this.host = host;
    KeyedStateBackend<String> backend = host.keyedStateBackend();
    this.keys =
        new SweepKeys(() -> backend.getKeys(SidAssigner.ITEM.getName(), VoidNamespace.INSTANCE));
    this.progress = progress;
    this.itemState = host.itemState();
    this.timers = host.timers();
    this.tokenizer = tokenizer;
    maxParallelism = task.getMaxNumberOfParallelSubtasks();
    keyGroups =
        KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
            maxParallelism, task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
    reports = new MigrationReports(output, keyGroups, maxParallelism, churnPolicy);
    keptByPolicy = metrics.counter("keptByChurnPolicy");
    sweepSlices = metrics.counter("reencodeSlices");
    metrics.gauge("lastVersionChurn", () -> lastChurn);
    metrics.gauge("reencodeInProgress", () -> version >= 0 ? 1 : 0);
  }

  /**
   * At start: resumes the sweep in progress at the restored checkpoint if it is still the live
   * version's, skipping the key groups whose sweep had ended there.
   */
  void resume(ModelUpdate live) throws Exception {
    reports.wentLiveAt(live == null ? 0 : live.publishedAt);
    long restored = progress.restoredVersion();
    if (restored < 0 || restored != tokenizer.version() || churnPolicy.keepsEveryItem()) {
      return; // done, superseded, or (a policy switched to KEEP) never needed
    }
    version = restored;
    update = live;
    progress.resume(restored, keyGroups);
    budget = BudgetedMoves.forSweep(churnPolicy, progress.unsweptGroups(keyGroups), maxParallelism);
    pacing.reset();
    // A sweep was in progress: resume it here, whichever subtask its restored timer went to.
    LOG.info("Resuming the re-encoding of model v{} after a restore", version);
    scheduleNextSlice(0);
  }

  /** Starts the sweep of {@code update}, the new live version, superseding one in progress. */
  void start(ModelUpdate update) throws Exception {
    keys.close();
    if (version >= 0) {
      reports.report(version, MigrationPart.Kind.SUPERSEDED);
    }
    reports.wentLiveAt(update.publishedAt);
    if (churnPolicy.keepsEveryItem()) {
      version = -1;
      progress.start(-1);
      reports.report(update.version, MigrationPart.Kind.NOT_SWEPT);
      LOG.info(
          "Model v{} is live for new and changed items; known items keep their SIDs ({})",
          update.version,
          churnPolicy);
      lastChurn = 0;
      return;
    }
    version = update.version;
    this.update = update;
    progress.start(version);
    totals = new SweepTotals();
    budget = BudgetedMoves.forSweep(churnPolicy, keyGroups.getNumberOfKeyGroups(), maxParallelism);
    pacing.reset();
    scheduleNextSlice(0);
  }

  /** The operator handled an input record: the pacing needs to know when the input goes quiet. */
  void inputHandled() {
    if (version >= 0) {
      pacing.inputHandled(System.nanoTime());
    }
  }

  /** The version being swept, or -1. */
  long version() {
    return version;
  }

  void onTimer(long timestamp) throws Exception {
    if (scheduledSlice >= 0 && timestamp != scheduledSlice) {
      return; // a timer restored from before a failure; this subtask follows its own chain
    }
    scheduledSlice = -1;
    sweepSlice();
  }

  /** Before a checkpoint barrier: what the sweep did since the last report. */
  void reportProgress() {
    if (version >= 0 && reports.encodedSinceLastReport()) {
      reports.report(version, MigrationPart.Kind.PROGRESS);
    }
  }

  /** End of input (bounded runs): nothing may stay half-swept. */
  void runToEnd() throws Exception {
    while (version >= 0) {
      sweepSlice();
    }
  }

  void close() {
    keys.close();
  }

  /**
   * Registers the next slice's timer, on the key the cursor stands at (timers need a key).
   *
   * @param pauseMillis time left to records and barriers before the next slice ({@link
   *     SweepPacing}): the task runs every due timer before it reads the next input record
   */
  private void scheduleNextSlice(long pauseMillis) throws Exception {
    SweepKeys cursor = cursor();
    if (!cursor.hasNext()) {
      finishSweep();
      return;
    }
    Object key = host.getCurrentKey();
    // The timer fires for the next key; that key's own records are handled in order either way.
    host.setCurrentKey(cursor.peek());
    // Due after the current time: a timer due now would run in the same timer-service loop as the
    // slice that registered it, so the whole sweep would pass before any barrier or record.
    long due =
        Math.max(timers.currentProcessingTime() + Math.max(1, pauseMillis), scheduledSlice + 1);
    timers.registerProcessingTimeTimer(TIMER, due);
    scheduledSlice = due;
    if (key != null) {
      host.setCurrentKey(key);
    }
  }

  private void sweepSlice() throws Exception {
    if (version < 0) {
      return;
    }
    pacing.sliceStarts(System.nanoTime());
    host.flushArrivals();
    List<String> items = new ArrayList<>(sliceSize);
    List<ItemState> states = new ArrayList<>(sliceSize);
    Object key = host.getCurrentKey();
    try {
      SweepKeys cursor = cursor();
      while (items.size() < sliceSize && cursor.hasNext()) {
        String item = cursor.next();
        if (progress.anySwept()
            && progress.isSwept(KeyGroupRangeAssignment.assignToKeyGroup(item, maxParallelism))) {
          continue; // its key group's sweep had ended before a restore
        }
        host.setCurrentKey(item);
        ItemState state = itemState.value();
        if (budget != null && state != null) {
          budget.visit(state, version); // done before a restore or not: the cap is of them all
        }
        if (state == null
            || !state.live()
            || (state.codes != null && state.codes.modelVersion == version)) {
          continue; // deleted, changed since the version arrived, or done before a restore
        }
        items.add(item);
        states.add(state);
      }
    } catch (ConcurrentModificationException e) {
      // Heap state backends: new keys invalidate the iterator; start over, skipping done items.
      keys.close();
    }
    applySlice(items, states);
    sweepSlices.inc();
    if (key != null) {
      host.setCurrentKey(key);
    }
    scheduleNextSlice(pacing.pauseAfterSlice(System.nanoTime(), host.outputBackpressured()));
  }

  private void applySlice(List<String> items, List<ItemState> states) throws Exception {
    SweepChanges changes = new SweepChanges(update);
    long kept = 0;
    for (int from = 0; from < items.size(); from += batchSize) {
      int to = Math.min(items.size(), from + batchSize);
      float[][] vectors =
          states.subList(from, to).stream().map(st -> st.vector).toArray(float[][]::new);
      // Under a budget the held codes' fit comes from the same forward pass as the new codes.
      Reencoding reencoding = null;
      Encoding encoding;
      if (budget != null) {
        reencoding =
            tokenizer.reencode(
                vectors,
                states.subList(from, to).stream()
                    .map(st -> st.codes == null ? null : st.codes.codes)
                    .toArray(int[][]::new));
        encoding = reencoding.encoding();
      } else {
        encoding = tokenizer.encode(vectors);
      }
      List<BudgetedMoves.Changed> ranked = new ArrayList<>();
      for (int i = from; i < to; i++) {
        String item = items.get(i);
        ItemState state = states.get(i);
        host.setCurrentKey(item);
        ItemCodes next =
            new ItemCodes(encoding.codes()[i - from], encoding.residualNorms()[i - from], version);
        ItemCodes old = state.codes;
        if (old != null && old.sameCodes(next)) {
          state.codes = next;
          itemState.update(state);
        } else if (old != null && budget != null) {
          // moves, if at all, once the whole sweep is ranked
          ranked.add(
              new BudgetedMoves.Changed(
                  item, state, next, reencoding.heldResidualNorms()[i - from]));
        } else if (old != null && !churnPolicy.accept(old, next)) {
          kept++;
          keptByPolicy.inc();
        } else {
          changes.move(item, state, next);
          itemState.update(state);
        }
      }
      if (!ranked.isEmpty()) {
        budget.offer(ranked);
      }
    }
    count(items.size(), changes.moved(), kept);
    changes.emit(host::emit);
  }

  /**
   * Moves the ranked sweep's best candidates, at most the cap less what moved before a restore; the
   * other items whose codes changed keep theirs. Returns the cap, for the migration report.
   */
  private long applyBudgetedMoves() throws Exception {
    SweepChanges changes = new SweepChanges(update);
    Object key = host.getCurrentKey();
    for (MoveCandidates.Candidate c : budget.toMove()) {
      host.setCurrentKey(c.itemId());
      ItemState state = itemState.value();
      if (state == null
          || !state.live()
          || state.codes == null
          || state.codes.modelVersion == version) {
        continue; // deleted or re-encoded with its new features since it was ranked
      }
      state.budgetedMoveVersion = version;
      changes.move(c.itemId(), state, c.next());
      itemState.update(state);
    }
    if (key != null) {
      host.setCurrentKey(key);
    }
    long kept = budget.changed() - changes.moved();
    count(0, changes.moved(), kept);
    keptByPolicy.inc(kept);
    changes.emit(host::emit);
    LOG.info(
        "Model v{}: {} of {} candidate movers moved, {} before a restore (cap {} on this subtask"
            + " of {} known items, {})",
        version,
        changes.moved(),
        budget.offered(),
        budget.alreadyMoved(),
        budget.cap(),
        budget.known(),
        churnPolicy);
    long cap = budget.cap();
    budget = null;
    return cap;
  }

  private void finishSweep() throws Exception {
    long cap = budget != null ? applyBudgetedMoves() : 0;
    progress.sweptAll(keyGroups);
    keys.close();
    lastChurn = totals.changed;
    LOG.info(
        "Model v{} re-encoded {} items: {} changed SID, {} kept by {}",
        version,
        totals.encoded,
        totals.changed,
        totals.kept,
        churnPolicy);
    reports.report(version, MigrationPart.Kind.SWEPT, cap);
    version = -1;
  }

  private void count(long encoded, long changed, long kept) {
    totals.add(encoded, changed, kept);
    reports.count(encoded, changed, kept);
  }

  private SweepKeys cursor() {
    if (keys.openPass() && budget != null) {
      budget.newPass(); // every key is visited again: so is every candidate and known item
    }
    return keys;
  }
}
