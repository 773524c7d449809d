package io.quasid.job.pipeline;

import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.ModelUpdate;
import io.quasid.model.Encoding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.io.network.api.writer.ResultPartitionWriter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
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
 * <p><b>Re-encoding.</b> A new version is live at once for new and changed items; the items already
 * held are re-encoded by a {@link CatalogueSweep}, in slices between records and checkpoint
 * barriers, as the {@link ChurnPolicy} allows, and reported to the {@link #MIGRATIONS} side output.
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

  /** Side output of the re-encoding reports, summed per version by {@link MigrationSummarizer}. */
  public static final OutputTag<MigrationPart> MIGRATIONS =
      new OutputTag<>("migration-parts", TypeInformation.of(MigrationPart.class));

  static final String LIVE_KEY = "live";
  private static final String FLUSH = "flush";

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
  private transient SweepProgress sweepProgress;
  private transient InternalTimerService<String> timers;
  private transient LiveTokenizer tokenizer;
  private transient StreamRecord<BucketChange> reuse;

  /** Items waiting for their batch, in arrival order, with their state to write when applied. */
  private transient Map<String, ItemState> pending;

  private transient CatalogueSweep sweep;
  private transient Counter changesOut;
  private transient Counter outOfOrderDropped;
  private transient UnknownDeletes unknownDeletes;

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
    sweepProgress = SweepProgress.of(context.getOperatorStateStore());
  }

  @Override
  public void open() throws Exception {
    super.open();
    itemState = getRuntimeContext().getState(ITEM);
    timers = getInternalTimerService("assigner-timers", StringSerializer.INSTANCE, this);
    pending = new LinkedHashMap<>();
    reuse = new StreamRecord<>(null);
    var metrics = getMetricGroup();
    changesOut = metrics.counter("bucketChangesOut");
    outOfOrderDropped = metrics.counter("outOfOrderItemEventsDropped");
    unknownDeletes =
        new UnknownDeletes(
            itemState,
            timers,
            unknownDeleteRetentionMillis,
            metrics.counter("deletesOfUnknownItems"));
    metrics.gauge("pendingEncodes", () -> pending.size());
    ModelUpdate live = liveModel.get(LIVE_KEY);
    tokenizer = new LiveTokenizer(tokenizers, vectorDim, live, metrics);
    sweep =
        new CatalogueSweep(
            new CatalogueSweep.Settings(churnPolicy, sliceSize, batchSize, reencodeShare),
            new Host(),
            sweepProgress,
            tokenizer,
            output,
            getRuntimeContext().getTaskInfo(),
            metrics);
    sweep.resume(live);
  }

  @Override
  public void processElement1(StreamRecord<ItemFeature> record) throws Exception {
    apply(record.getValue());
    sweep.inputHandled();
  }

  private void apply(ItemFeature item) throws Exception {
    if (pending.containsKey(item.itemId)) {
      flush();
    }
    ItemState state = itemState.value();
    if (state == null && item.deleted) {
      unknownDeletes.remember(item);
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
    tokenizer.switchTo(update);
    liveModel.put(LIVE_KEY, update);
    sweep.start(update);
  }

  @Override
  public void onProcessingTime(InternalTimer<String, String> timer) throws Exception {
    if (FLUSH.equals(timer.getNamespace())) {
      flush();
      sweep.inputHandled();
    } else if (CatalogueSweep.TIMER.equals(timer.getNamespace())) {
      sweep.onTimer(timer.getTimestamp());
    } else if (UnknownDeletes.TIMER.equals(timer.getNamespace())) {
      unknownDeletes.forget();
    }
  }

  @Override
  public void onEventTime(InternalTimer<String, String> timer) {}

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    sweep.reportProgress();
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    sweepProgress.snapshot(sweep.version());
  }

  /** End of input (bounded runs): nothing may stay buffered or half-swept. */
  @Override
  public void finish() throws Exception {
    flush();
    if (sweep != null) { // null if open() failed: a test harness still finishes the operator
      sweep.runToEnd();
    }
    super.finish();
  }

  @Override
  public void close() throws Exception {
    if (sweep != null) {
      sweep.close();
    }
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
        tokenizer.encode(batch.stream().map(e -> e.getValue().vector).toArray(float[][]::new));
    for (int i = 0; i < batch.size(); i++) {
      String itemId = batch.get(i).getKey();
      ItemState state = batch.get(i).getValue();
      setCurrentKey(itemId);
      ItemCodes fresh =
          new ItemCodes(encoding.codes()[i], encoding.residualNorms()[i], tokenizer.version());
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
      emit(BucketChange.join(itemId, fresh.codes, rev, tokenizer.version(), eventTime));
    }
    if (key != null) {
      setCurrentKey(key);
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

  /** What the sweep uses of this operator. */
  private final class Host implements SweepHost {
    @Override
    public void setCurrentKey(Object key) {
      SidAssigner.this.setCurrentKey(key);
    }

    @Override
    public Object getCurrentKey() {
      return SidAssigner.this.getCurrentKey();
    }

    @Override
    public KeyedStateBackend<String> keyedStateBackend() {
      return getKeyedStateBackend();
    }

    @Override
    public ValueState<ItemState> itemState() {
      return itemState;
    }

    @Override
    public InternalTimerService<String> timers() {
      return timers;
    }

    @Override
    public void flushArrivals() throws Exception {
      flush();
    }

    /** A writer of this task without a free buffer: the sweep then leaves the task its share. */
    @Override
    public boolean outputBackpressured() {
      for (ResultPartitionWriter writer : getContainingTask().getEnvironment().getAllWriters()) {
        if (!writer.isAvailable()) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void emit(BucketChange change) {
      SidAssigner.this.emit(change);
    }
  }

  private void emit(BucketChange change) {
    changesOut.inc();
    output.collect(reuse.replace(change));
  }
}
