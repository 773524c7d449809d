package io.quasid.job.pipeline;

import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.ModelUpdate;
import io.quasid.model.Encoding;
import io.quasid.model.SidTokenizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns item features into codes, keyed by item id (input 1), and reports every change of an item's
 * code tuple as LEAVE (old bucket) then JOIN (new bucket), both with the item's next revision.
 * Input 2 is the broadcast stream of published model versions.
 *
 * <p><b>Batched encoding.</b> New and changed items are buffered and encoded in one TensorFlow call
 * per batch: when {@code batchSize} items wait, when the flush timer ({@code flushInterval} after
 * the first one) fires, before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}, so no
 * checkpoint ever holds a buffer and none is delayed past one), before a model update, and at the
 * end of input. An item already in the buffer flushes it before its next record is handled, so each
 * item's records are applied one by one, in order, with the codes and revisions they had when every
 * record was encoded alone.
 *
 * <p><b>Re-encoding in slices.</b> A new version is applied to this subtask's items {@code
 * sliceSize} at a time, each slice in its own processing-time timer callback, so checkpoint
 * barriers and new items pass between slices and memory is bounded by the slice. New and changed
 * items are encoded with the new version at once; the sweep skips items already at the live
 * version. Within a slice LEAVEs go first (freed suffixes can be reused) and JOINs are sorted by
 * item id. The sweep's version is in operator state: after a restore the sweep starts over and
 * skips what is done (items the churn policy kept are asked again, with the same answer).
 *
 * <p><b>Migration reports.</b> The sweep's counts (re-encoded, moved, kept by the churn policy) go
 * to the {@link #MIGRATIONS} side output before every checkpoint barrier and when the sweep ends,
 * is superseded by a newer version, or is skipped under {@code KEEP}, with this subtask's key-group
 * range; {@link MigrationSummarizer} turns them into one summary per version. A report travels in
 * the same checkpoint as the changes it counts, so a restore neither loses nor repeats counts.
 *
 * <p><b>SID uniqueness during a sweep.</b> Every item is in exactly one bucket at every point of
 * the change stream (its LEAVE precedes its JOIN, both in the same slice), so the bucket allocator
 * never hands one suffix to two members. A consumer can still briefly see two items with one SID
 * string: a suffix freed by a mover may be taken by another item whose JOIN is committed before the
 * mover's new SID, which comes from another bucket subtask, possibly one checkpoint later. This
 * window is one slice plus one checkpoint, as it was one whole pass before slicing.
 *
 * <p>Keyed state: one {@link ItemState} per item id ever published (features and codes, cleared on
 * delete; the revision counter and the newest event time, kept after a delete, since a re-added
 * item must continue above its last revision); a delete of an id never held is remembered only for
 * {@code items.unknown-delete-retention}. A buffered item's state is written when its batch is
 * applied. Broadcast state: the live {@link ModelUpdate}, loaded in {@link #open()} after a
 * restore.
 */
public class SidAssigner extends AbstractStreamOperator<BucketChange>
    implements TwoInputStreamOperator<ItemFeature, ModelUpdate, BucketChange>,
        Triggerable<String, String> {

  private static final long serialVersionUID = 2L;

  public static final MapStateDescriptor<String, ModelUpdate> LIVE_MODEL =
      new MapStateDescriptor<>("live-model", Types.STRING, TypeInformation.of(ModelUpdate.class));
  public static final ValueStateDescriptor<ItemState> ITEM =
      new ValueStateDescriptor<>("assigner-item", TypeInformation.of(ItemState.class));

  /** Versions whose sweep had not finished on some subtask (union: every subtask resumes). */
  static final ListStateDescriptor<Long> SWEEPING =
      new ListStateDescriptor<>("sweeping-version", Types.LONG);

  /** Side output of the re-encoding reports, summed per version by {@link MigrationSummarizer}. */
  public static final OutputTag<MigrationPart> MIGRATIONS =
      new OutputTag<>("migration-parts", TypeInformation.of(MigrationPart.class));

  static final String LIVE_KEY = "live";
  private static final String FLUSH = "flush";
  private static final String SWEEP = "sweep";
  private static final String FORGET = "forget-unknown-delete";

  /** Default of {@code items.unknown-delete-retention}. */
  public static final Duration DEFAULT_UNKNOWN_DELETE_RETENTION = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(SidAssigner.class);

  private final SidTokenizerFactory tokenizers;
  private final ChurnPolicy churnPolicy;
  private final int batchSize;
  private final long flushIntervalMillis;
  private final int sliceSize;
  private final double reencodeShare;
  private final int vectorDim;
  private long unknownDeleteRetentionMillis = DEFAULT_UNKNOWN_DELETE_RETENTION.toMillis();

  private transient ValueState<ItemState> itemState;
  private transient BroadcastState<String, ModelUpdate> liveModel;
  private transient ListState<Long> sweepingState;
  private transient InternalTimerService<String> timers;
  private transient SidTokenizer tokenizer;
  private transient StreamRecord<BucketChange> reuse;

  /** Items waiting for their batch, in arrival order, with their state to write when applied. */
  private transient Map<String, ItemState> pending;

  /** Version being swept, or -1; its iterator over this subtask's item keys (null: restart). */
  private transient long sweepVersion;

  private transient Stream<String> sweepKeys;
  private transient Iterator<String> sweepCursor;
  private transient SweepTotals sweepTotals;

  /** What the sweep did since this subtask's last {@link MigrationPart}. */
  private transient SweepTotals unreported;

  private transient long sweepWentLiveAt;
  private transient KeyGroupRange keyGroups;
  private transient int maxParallelism;

  /**
   * Timestamp of the one slice timer this subtask follows (-1: none); restored extras are ignored.
   */
  private transient long scheduledSlice;

  private transient long liveModelVersion;
  private transient long lastChurn;
  private transient Counter itemsEncoded;
  private transient Counter encodeCalls;
  private transient Counter changesOut;
  private transient Counter keptByPolicy;

  /** Under {@code BUDGET}: the sweep's best movers so far, and its changed-code count. */
  private transient MoveCandidates moves;

  private transient long budgetChanged;
  private transient Counter outOfOrderDropped;
  private transient Counter unknownDeletes;
  private transient Counter sweepSlices;

  /**
   * @param batchSize most items per encode call (new items and re-encoding alike)
   * @param flushIntervalMillis longest time a new item waits for its batch
   * @param sliceSize items re-encoded per timer callback when a version arrives
   * @param reencodeShare most of the task's time a re-encoding sweep takes (0, 1]; the rest is left
   *     to new records and checkpoint barriers between slices
   * @param vectorDim the job's {@code vector.dim}; a tokenizer of another input size is refused
   */
  public SidAssigner(
      SidTokenizerFactory tokenizers,
      ChurnPolicy churnPolicy,
      int batchSize,
      long flushIntervalMillis,
      int sliceSize,
      double reencodeShare,
      int vectorDim) {
    this.tokenizers = tokenizers;
    this.churnPolicy = churnPolicy;
    this.batchSize = batchSize;
    this.flushIntervalMillis = flushIntervalMillis;
    this.sliceSize = sliceSize;
    this.reencodeShare = reencodeShare;
    this.vectorDim = vectorDim;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    liveModel = context.getOperatorStateStore().getBroadcastState(LIVE_MODEL);
    sweepingState = context.getOperatorStateStore().getUnionListState(SWEEPING);
    sweepVersion = -1;
    for (Long v : sweepingState.get()) {
      sweepVersion = Math.max(sweepVersion, v);
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    itemState = getRuntimeContext().getState(ITEM);
    timers = getInternalTimerService("assigner-timers", StringSerializer.INSTANCE, this);
    pending = new LinkedHashMap<>();
    reuse = new StreamRecord<>(null);
    ModelUpdate live = liveModel.get(LIVE_KEY);
    tokenizer =
        live == null
            ? requireInputDim(tokenizers.initial(), "initial model")
            : requireInputDim(tokenizers.restore(live), "model v" + live.version);
    liveModelVersion = tokenizer.modelVersion();
    if (live != null) {
      liveModelVersion = live.version;
    }
    if (sweepVersion != liveModelVersion || churnPolicy.keepsEveryItem()) {
      sweepVersion = -1; // done, superseded, or (a policy switched to KEEP) never needed
    }
    sweepTotals = new SweepTotals();
    unreported = new SweepTotals();
    sweepWentLiveAt = live == null ? 0 : live.publishedAt;
    var task = getRuntimeContext().getTaskInfo();
    maxParallelism = task.getMaxNumberOfParallelSubtasks();
    keyGroups =
        KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
            maxParallelism, task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
    scheduledSlice = -1;
    if (sweepVersion >= 0) {
      startRankingMoves();
      // A sweep was in progress: resume it here, whichever subtask its restored timer went to.
      LOG.info("Resuming the re-encoding of model v{} after a restore", sweepVersion);
      scheduleNextSlice();
    }
    var metrics = getMetricGroup();
    itemsEncoded = metrics.counter("itemsEncoded");
    encodeCalls = metrics.counter("encodeCalls");
    changesOut = metrics.counter("bucketChangesOut");
    keptByPolicy = metrics.counter("keptByChurnPolicy");
    outOfOrderDropped = metrics.counter("outOfOrderItemEventsDropped");
    unknownDeletes = metrics.counter("deletesOfUnknownItems");
    sweepSlices = metrics.counter("reencodeSlices");
    metrics.gauge("liveModelVersion", () -> liveModelVersion);
    metrics.gauge("lastVersionChurn", () -> lastChurn);
    metrics.gauge("reencodeInProgress", () -> sweepVersion >= 0 ? 1 : 0);
    metrics.gauge("pendingEncodes", () -> pending.size());
  }

  @Override
  public void processElement1(StreamRecord<ItemFeature> record) throws Exception {
    ItemFeature item = record.getValue();
    if (pending.containsKey(item.itemId)) {
      flush();
    }
    ItemState state = itemState.value();
    if (state == null && item.deleted) {
      rememberUnknownDelete(item);
      return;
    } else if (state == null) {
      state = new ItemState();
    } else if (isOlderThanNewestApplied(item, state)) {
      return;
    }
    state.newestEventTime = item.eventTime;
    if (item.deleted) {
      applyDelete(item, state);
      return;
    }
    if (state.codes != null && Arrays.equals(state.vector, item.vector)) {
      // A re-publish with the same features is no change: whether a known item moves to the live
      // version is the churn policy's decision in the sweep, not the re-publish's.
      itemState.update(state);
      return;
    }
    state.vector = item.vector;
    pending.put(item.itemId, state);
    if (pending.size() >= batchSize) {
      flush();
    } else if (pending.size() == 1) {
      timers.registerProcessingTimeTimer(
          FLUSH, timers.currentProcessingTime() + flushIntervalMillis);
    }
  }

  @Override
  public void processElement2(StreamRecord<ModelUpdate> record) throws Exception {
    ModelUpdate update = record.getValue();
    ModelUpdate current = liveModel.get(LIVE_KEY);
    if (current != null && update.version <= current.version) {
      LOG.info("Ignoring model v{}: v{} is live", update.version, current.version);
      return;
    }
    // Items that arrived before the version are applied with the version they arrived under.
    flush();
    SidTokenizer next = requireInputDim(tokenizers.restore(update), "model v" + update.version);
    tokenizer.close();
    tokenizer = next;
    liveModel.put(LIVE_KEY, update);
    liveModelVersion = update.version;
    startSweep();
  }

  @Override
  public void onProcessingTime(InternalTimer<String, String> timer) throws Exception {
    if (FLUSH.equals(timer.getNamespace())) {
      flush();
    } else if (SWEEP.equals(timer.getNamespace())) {
      if (scheduledSlice >= 0 && timer.getTimestamp() != scheduledSlice) {
        return; // a timer restored from before a failure; this subtask follows its own chain
      }
      scheduledSlice = -1;
      sweepSlice();
    } else if (FORGET.equals(timer.getNamespace())) {
      forgetUnknownDelete();
    }
  }

  @Override
  public void onEventTime(InternalTimer<String, String> timer) {}

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    if (sweepVersion >= 0 && unreported.encoded > 0) {
      reportMigration(sweepVersion, MigrationPart.Kind.PROGRESS);
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    sweepingState.update(sweepVersion >= 0 ? List.of(sweepVersion) : List.of());
  }

  /** End of input (bounded runs): nothing may stay buffered or half-swept. */
  @Override
  public void finish() throws Exception {
    flush();
    while (sweepVersion >= 0) {
      sweepSlice();
    }
    super.finish();
  }

  @Override
  public void close() throws Exception {
    closeSweepCursor();
    if (tokenizer != null) {
      tokenizer.close();
    }
    super.close();
  }

  /** Encodes every buffered item in one call and applies them in arrival order. */
  private void flush() throws Exception {
    if (pending.isEmpty()) {
      return;
    }
    Object key = getCurrentKey();
    List<Map.Entry<String, ItemState>> batch = new ArrayList<>(pending.entrySet());
    pending.clear();
    Encoding encoding =
        encode(batch.stream().map(e -> e.getValue().vector).toArray(float[][]::new));
    for (int i = 0; i < batch.size(); i++) {
      String itemId = batch.get(i).getKey();
      ItemState state = batch.get(i).getValue();
      setCurrentKey(itemId);
      ItemCodes fresh =
          new ItemCodes(encoding.codes()[i], encoding.residualNorms()[i], liveModelVersion);
      ItemCodes old = state.codes;
      state.codes = fresh;
      if (old != null && old.sameCodes(fresh)) {
        itemState.update(state);
        continue;
      }
      long rev = state.nextRevision();
      itemState.update(state);
      long eventTime = state.newestEventTime;
      if (old != null) {
        emit(BucketChange.leave(itemId, old.codes, rev, old.modelVersion, false, eventTime));
      }
      emit(BucketChange.join(itemId, fresh.codes, rev, liveModelVersion, eventTime));
    }
    if (key != null) {
      setCurrentKey(key);
    }
  }

  /**
   * A delete of an id this subtask never held: its time is kept, so that an older upsert still on
   * its way does not bring the item in, but only for {@code items.unknown-delete-retention}, so
   * that deletes of ids that never existed (a producer's bug, or a hostile one) cannot grow the
   * state.
   */
  private void rememberUnknownDelete(ItemFeature item) throws Exception {
    unknownDeletes.inc();
    ItemState tombstone = new ItemState();
    tombstone.newestEventTime = item.eventTime;
    itemState.update(tombstone);
    timers.registerProcessingTimeTimer(
        FORGET, timers.currentProcessingTime() + unknownDeleteRetentionMillis);
  }

  /**
   * Forgets an unknown id's delete once it is older than the retention, unless the item has been
   * published since (then its revision fences re-adds and stays).
   */
  private void forgetUnknownDelete() throws Exception {
    ItemState state = itemState.value();
    if (state != null && state.revision == 0 && !state.live() && state.codes == null) {
      itemState.clear();
    }
  }

  private void applyDelete(ItemFeature item, ItemState state) throws Exception {
    ItemCodes old = state.codes;
    state.vector = null;
    state.codes = null;
    long rev = old == null ? state.revision : state.nextRevision();
    itemState.update(state);
    if (old != null) {
      emit(BucketChange.leave(item.itemId, old.codes, rev, old.modelVersion, true, item.eventTime));
    }
  }

  private void startSweep() throws Exception {
    closeSweepCursor();
    if (sweepVersion >= 0) {
      reportMigration(sweepVersion, MigrationPart.Kind.SUPERSEDED);
    }
    sweepWentLiveAt = liveModel.get(LIVE_KEY).publishedAt;
    if (churnPolicy.keepsEveryItem()) {
      sweepVersion = -1;
      reportMigration(liveModelVersion, MigrationPart.Kind.NOT_SWEPT);
      LOG.info(
          "Model v{} is live for new and changed items; known items keep their SIDs ({})",
          liveModelVersion,
          churnPolicy);
      lastChurn = 0;
      return;
    }
    sweepVersion = liveModelVersion;
    sweepTotals = new SweepTotals();
    startRankingMoves();
    scheduleNextSlice();
  }

  /** Registers the next slice's timer, on the key the cursor stands at (timers need a key). */
  private void scheduleNextSlice() throws Exception {
    scheduleNextSlice(0);
  }

  /**
   * @param pauseMillis time left to records and barriers before the next slice: the task runs every
   *     due timer before it reads the next input record, so back-to-back slices would starve the
   *     item input and hold checkpoint barriers for the whole sweep
   */
  private void scheduleNextSlice(long pauseMillis) throws Exception {
    Iterator<String> cursor = cursor();
    if (!cursor.hasNext()) {
      finishSweep();
      return;
    }
    Object key = getCurrentKey();
    // The timer fires for the next key; that key's own records are handled in order either way.
    setCurrentKey(peek(cursor));
    // Due after the current time: a timer due now would run in the same timer-service loop as the
    // slice that registered it, so the whole sweep would pass before any barrier or record.
    long due =
        Math.max(timers.currentProcessingTime() + Math.max(1, pauseMillis), scheduledSlice + 1);
    timers.registerProcessingTimeTimer(SWEEP, due);
    scheduledSlice = due;
    if (key != null) {
      setCurrentKey(key);
    }
  }

  private void sweepSlice() throws Exception {
    if (sweepVersion < 0) {
      return;
    }
    long started = System.nanoTime();
    flush();
    List<String> keys = new ArrayList<>(sliceSize);
    List<ItemState> states = new ArrayList<>(sliceSize);
    Object key = getCurrentKey();
    try {
      Iterator<String> cursor = cursor();
      while (keys.size() < sliceSize && cursor.hasNext()) {
        String item = cursor.next();
        setCurrentKey(item);
        ItemState state = itemState.value();
        if (moves != null && state != null && state.budgetedMoveVersion == liveModelVersion) {
          moves.countAlreadyMoved(); // moved by this version before a restore
        }
        if (state == null
            || !state.live()
            || (state.codes != null && state.codes.modelVersion == liveModelVersion)) {
          continue; // deleted, changed since the version arrived, or done before a restore
        }
        keys.add(item);
        states.add(state);
      }
    } catch (ConcurrentModificationException e) {
      // Heap state backends: new keys invalidate the iterator; start over, skipping done items.
      closeSweepCursor();
    }
    applySlice(keys, states);
    sweepSlices.inc();
    if (key != null) {
      setCurrentKey(key);
    }
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    scheduleNextSlice((long) (tookMillis * (1 - reencodeShare) / reencodeShare));
  }

  private void applySlice(List<String> keys, List<ItemState> states) throws Exception {
    List<BucketChange> leaves = new ArrayList<>();
    List<BucketChange> joins = new ArrayList<>();
    ModelUpdate update = liveModel.get(LIVE_KEY);
    for (int from = 0; from < keys.size(); from += batchSize) {
      int to = Math.min(keys.size(), from + batchSize);
      Encoding encoding =
          encode(states.subList(from, to).stream().map(st -> st.vector).toArray(float[][]::new));
      List<Integer> ranked = new ArrayList<>();
      for (int i = from; i < to; i++) {
        String item = keys.get(i);
        ItemState state = states.get(i);
        setCurrentKey(item);
        ItemCodes next =
            new ItemCodes(
                encoding.codes()[i - from], encoding.residualNorms()[i - from], liveModelVersion);
        ItemCodes old = state.codes;
        if (old != null && old.sameCodes(next)) {
          state.codes = next;
          itemState.update(state);
        } else if (old != null && moves != null) {
          ranked.add(i); // moves, if at all, once the whole sweep is ranked
        } else if (old != null && !churnPolicy.accept(old, next)) {
          sweepTotals.kept++;
          unreported.kept++;
          keptByPolicy.inc();
        } else {
          move(item, state, next, update, leaves, joins);
        }
      }
      rankMoves(keys, states, encoding, from, ranked);
    }
    sweepTotals.encoded += keys.size();
    sweepTotals.changed += joins.size();
    unreported.encoded += keys.size();
    unreported.changed += joins.size();
    emitMoves(leaves, joins);
  }

  /**
   * Gives the item (the current key) its {@code next} codes under a new revision: a LEAVE of its
   * old bucket, if it had one, and a JOIN of the new one, collected for {@link #emitMoves}.
   */
  private void move(
      String item,
      ItemState state,
      ItemCodes next,
      ModelUpdate update,
      List<BucketChange> leaves,
      List<BucketChange> joins)
      throws Exception {
    ItemCodes old = state.codes;
    state.codes = next;
    long rev = state.nextRevision();
    itemState.update(state);
    if (old != null) {
      leaves.add(
          BucketChange.leave(item, old.codes, rev, old.modelVersion, false, update.publishedAt));
    }
    joins.add(BucketChange.join(item, next.codes, rev, update.version, update.publishedAt));
  }

  /** LEAVEs first, so freed suffixes can be reused; JOINs in item id order. */
  private void emitMoves(List<BucketChange> leaves, List<BucketChange> joins) {
    joins.sort(Comparator.comparing(c -> c.itemId));
    leaves.forEach(this::emit);
    joins.forEach(this::emit);
  }

  /** Under {@code BUDGET}, a fresh ranking for the sweep of the live version. */
  private void startRankingMoves() {
    moves =
        churnPolicy.mode() == ChurnPolicy.Mode.BUDGET
            ? new MoveCandidates(
                MoveCandidates.capFor(churnPolicy.budget(), keyGroups, maxParallelism))
            : null;
    budgetChanged = 0;
  }

  /**
   * Offers the items at {@code ranked} (indices into the slice, their codes changed) as movers,
   * their gain measured in the new version's space: held codes against new ones.
   */
  private void rankMoves(
      List<String> keys,
      List<ItemState> states,
      Encoding encoding,
      int from,
      List<Integer> ranked) {
    if (ranked.isEmpty()) {
      return;
    }
    float[][] vectors = new float[ranked.size()][];
    int[][] held = new int[ranked.size()][];
    for (int j = 0; j < ranked.size(); j++) {
      vectors[j] = states.get(ranked.get(j)).vector;
      held[j] = states.get(ranked.get(j)).codes.codes;
    }
    float[] heldResiduals = tokenizer.residualNorms(vectors, held);
    for (int j = 0; j < ranked.size(); j++) {
      int i = ranked.get(j);
      ItemCodes next =
          new ItemCodes(
              encoding.codes()[i - from], encoding.residualNorms()[i - from], liveModelVersion);
      budgetChanged++;
      double gain = churnPolicy.gain(heldResiduals[j], next.residualNorm);
      if (!Double.isNaN(gain)) {
        moves.offer(new MoveCandidates.Candidate(keys.get(i), next, gain));
      }
    }
  }

  /**
   * Moves the ranked sweep's best candidates, at most the cap less what moved before a restore; the
   * other items whose codes changed keep theirs.
   */
  private void applyBudgetedMoves() throws Exception {
    List<BucketChange> leaves = new ArrayList<>();
    List<BucketChange> joins = new ArrayList<>();
    ModelUpdate update = liveModel.get(LIVE_KEY);
    Object key = getCurrentKey();
    for (MoveCandidates.Candidate c : moves.toMove()) {
      setCurrentKey(c.itemId());
      ItemState state = itemState.value();
      if (state == null
          || !state.live()
          || state.codes == null
          || state.codes.modelVersion == liveModelVersion) {
        continue; // deleted or re-encoded with its new features since it was ranked
      }
      state.budgetedMoveVersion = liveModelVersion;
      move(c.itemId(), state, c.next(), update, leaves, joins);
    }
    if (key != null) {
      setCurrentKey(key);
    }
    long kept = budgetChanged - joins.size();
    sweepTotals.changed += joins.size();
    unreported.changed += joins.size();
    sweepTotals.kept += kept;
    unreported.kept += kept;
    keptByPolicy.inc(kept);
    emitMoves(leaves, joins);
    LOG.info(
        "Model v{}: {} of {} candidate movers moved (cap {} on this subtask, {})",
        sweepVersion,
        joins.size(),
        moves.offered(),
        moves.cap(),
        churnPolicy);
    moves = null;
  }

  private void finishSweep() throws Exception {
    if (moves != null) {
      applyBudgetedMoves();
    }
    closeSweepCursor();
    lastChurn = sweepTotals.changed;
    LOG.info(
        "Model v{} re-encoded {} items: {} changed SID, {} kept by {}",
        sweepVersion,
        sweepTotals.encoded,
        sweepTotals.changed,
        sweepTotals.kept,
        churnPolicy);
    reportMigration(sweepVersion, MigrationPart.Kind.SWEPT);
    sweepVersion = -1;
  }

  /** Sends what the sweep of {@code version} did since the last report, and resets the counts. */
  private void reportMigration(long version, MigrationPart.Kind kind) {
    output.collect(
        MIGRATIONS,
        new StreamRecord<>(
            new MigrationPart(
                version,
                kind,
                keyGroups.getStartKeyGroup(),
                keyGroups.getEndKeyGroup(),
                maxParallelism,
                unreported.encoded,
                unreported.changed,
                unreported.kept,
                churnPolicy.toString(),
                sweepWentLiveAt)));
    unreported = new SweepTotals();
  }

  private Iterator<String> cursor() {
    if (sweepCursor == null) {
      KeyedStateBackend<String> backend = getKeyedStateBackend();
      sweepKeys = backend.getKeys(ITEM.getName(), VoidNamespace.INSTANCE);
      sweepCursor = new PeekingIterator(sweepKeys.iterator());
    }
    return sweepCursor;
  }

  private static String peek(Iterator<String> cursor) {
    return ((PeekingIterator) cursor).peek();
  }

  private void closeSweepCursor() {
    if (sweepKeys != null) {
      sweepKeys.close();
    }
    sweepKeys = null;
    sweepCursor = null;
  }

  private Encoding encode(float[][] vectors) {
    encodeCalls.inc();
    itemsEncoded.inc(vectors.length);
    return tokenizer.encode(vectors);
  }

  /**
   * Per-item event-time order: an update or delete older than the newest event seen for the item
   * (deletes included) is counted and dropped, so a stale upsert arriving after a delete cannot
   * bring the item back. Equal times are applied in arrival order.
   */
  private boolean isOlderThanNewestApplied(ItemFeature item, ItemState state) {
    long newest = state.newestEventTime;
    if (item.eventTime < newest) {
      outOfOrderDropped.inc();
      LOG.debug(
          "Dropping {} of item {} at event time {}: newer event at {} already applied",
          item.deleted ? "delete" : "update",
          item.itemId,
          item.eventTime,
          newest);
      return true;
    }
    return false;
  }

  /**
   * How long the delete of an id never seen is remembered (default {@link
   * #DEFAULT_UNKNOWN_DELETE_RETENTION}): an upsert older than the delete arriving later than this
   * brings the item in.
   */
  public SidAssigner retainingUnknownDeletesFor(Duration retention) {
    this.unknownDeleteRetentionMillis = retention.toMillis();
    return this;
  }

  private SidTokenizer requireInputDim(SidTokenizer candidate, String what) {
    if (candidate.inputDim() != vectorDim) {
      int dim = candidate.inputDim();
      candidate.close();
      throw new IllegalStateException(SidTokenizerFactory.inputDimMismatch(what, dim, vectorDim));
    }
    return candidate;
  }

  private void emit(BucketChange change) {
    changesOut.inc();
    output.collect(reuse.replace(change));
  }

  /** Counts of the sweep in progress, for its log line, the churn gauge and the reports. */
  private static final class SweepTotals {
    long encoded;
    long changed;
    long kept;
  }

  /** An iterator that can show its next key without consuming it. */
  private static final class PeekingIterator implements Iterator<String> {
    private final Iterator<String> inner;
    private String next;

    PeekingIterator(Iterator<String> inner) {
      this.inner = inner;
    }

    String peek() {
      if (next == null) {
        next = inner.next();
      }
      return next;
    }

    @Override
    public boolean hasNext() {
      return next != null || inner.hasNext();
    }

    @Override
    public String next() {
      String n = peek();
      next = null;
      return n;
    }
  }
}
