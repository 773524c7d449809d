package io.quasid.job.pipeline;

import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.ModelUpdate;
import io.quasid.model.Encoding;
import io.quasid.model.SidTokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns item features into codes, keyed by item id, and reports every change of an item's code
 * tuple as LEAVE (old bucket) then JOIN (new bucket), both with the item's next revision.
 *
 * <p>Keyed state: the latest features (cleared on delete), the current codes (cleared on delete),
 * the revision counter and the newest event time applied. The last two are kept after a delete on
 * purpose: a re-added item must continue above the revision that {@link AssignmentPublisher}
 * fenced, and a stale upsert must not undo the delete; they are two longs per item id ever seen.
 *
 * <p>Broadcast state: the live {@link ModelUpdate}. A new version re-encodes every known item of
 * this subtask in batches and emits only the items whose codes the {@link ChurnPolicy} lets change.
 * After a restart the live version is restored from broadcast state on the first element.
 */
public class SidAssigner
    extends KeyedBroadcastProcessFunction<String, ItemFeature, ModelUpdate, BucketChange> {

  public static final MapStateDescriptor<String, ModelUpdate> LIVE_MODEL =
      new MapStateDescriptor<>("live-model", Types.STRING, TypeInformation.of(ModelUpdate.class));
  public static final ValueStateDescriptor<ItemFeature> FEATURES =
      new ValueStateDescriptor<>("item-features", TypeInformation.of(ItemFeature.class));
  public static final ValueStateDescriptor<ItemCodes> CODES =
      new ValueStateDescriptor<>("item-codes", TypeInformation.of(ItemCodes.class));
  public static final ValueStateDescriptor<Long> REVISION =
      new ValueStateDescriptor<>("item-revision", Types.LONG);
  public static final ValueStateDescriptor<Long> NEWEST_EVENT_TIME =
      new ValueStateDescriptor<>("item-newest-event-time", Types.LONG);

  static final String LIVE_KEY = "live";
  private static final Logger LOG = LoggerFactory.getLogger(SidAssigner.class);

  private final SidTokenizerFactory tokenizers;
  private final ChurnPolicy churnPolicy;
  private final int batchSize;
  private final int vectorDim;

  private transient ValueState<ItemFeature> features;
  private transient ValueState<ItemCodes> codes;
  private transient ValueState<Long> revision;
  private transient ValueState<Long> newestEventTime;
  private transient SidTokenizer tokenizer;

  /** Version of the broadcast update in use; -1 while the initial tokenizer is in use. */
  private transient long loadedUpdate;

  private transient long liveModelVersion;
  private transient long lastChurn;
  private transient Counter itemsEncoded;
  private transient Counter changesOut;
  private transient Counter keptByPolicy;
  private transient Counter outOfOrderDropped;

  /**
   * @param vectorDim the job's {@code vector.dim}; a tokenizer of another input size is refused
   */
  public SidAssigner(
      SidTokenizerFactory tokenizers, ChurnPolicy churnPolicy, int batchSize, int vectorDim) {
    this.tokenizers = tokenizers;
    this.churnPolicy = churnPolicy;
    this.batchSize = batchSize;
    this.vectorDim = vectorDim;
  }

  @Override
  public void open(OpenContext openContext) {
    features = getRuntimeContext().getState(FEATURES);
    codes = getRuntimeContext().getState(CODES);
    revision = getRuntimeContext().getState(REVISION);
    newestEventTime = getRuntimeContext().getState(NEWEST_EVENT_TIME);
    tokenizer = requireInputDim(tokenizers.initial(), "initial model");
    loadedUpdate = -1;
    liveModelVersion = tokenizer.modelVersion();
    var metrics = getRuntimeContext().getMetricGroup();
    itemsEncoded = metrics.counter("itemsEncoded");
    changesOut = metrics.counter("bucketChangesOut");
    keptByPolicy = metrics.counter("keptByChurnPolicy");
    outOfOrderDropped = metrics.counter("outOfOrderItemEventsDropped");
    metrics.gauge("liveModelVersion", () -> liveModelVersion);
    metrics.gauge("lastVersionChurn", () -> lastChurn);
  }

  @Override
  public void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  @Override
  public void processElement(ItemFeature item, ReadOnlyContext ctx, Collector<BucketChange> out)
      throws Exception {
    syncWithLiveModel(ctx.getBroadcastState(LIVE_MODEL));
    if (isOlderThanNewestSeen(item)) {
      return;
    }
    ItemCodes old = codes.value();
    if (item.deleted) {
      features.clear();
      codes.clear();
      if (old != null) {
        long rev = nextRevision();
        emit(
            out,
            BucketChange.leave(
                item.itemId, old.codes, rev, old.modelVersion, true, item.eventTime));
      }
      return;
    }
    features.update(item);
    Encoding encoding = tokenizer.encode(new float[][] {item.vector});
    itemsEncoded.inc();
    ItemCodes fresh =
        new ItemCodes(encoding.codes()[0], encoding.residualNorms()[0], liveModelVersion);
    codes.update(fresh);
    if (old != null && old.sameCodes(fresh)) {
      return;
    }
    long rev = nextRevision();
    if (old != null) {
      emit(
          out,
          BucketChange.leave(item.itemId, old.codes, rev, old.modelVersion, false, item.eventTime));
    }
    emit(out, BucketChange.join(item.itemId, fresh.codes, rev, liveModelVersion, item.eventTime));
  }

  @Override
  public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<BucketChange> out)
      throws Exception {
    BroadcastState<String, ModelUpdate> live = ctx.getBroadcastState(LIVE_MODEL);
    ModelUpdate current = live.get(LIVE_KEY);
    if (current != null && update.version <= current.version) {
      LOG.info("Ignoring model v{}: v{} is live", update.version, current.version);
      return;
    }
    live.put(LIVE_KEY, update);
    load(update);
    reencodeAll(ctx, update, out);
  }

  /**
   * Per-item event-time order: an update or delete older than the newest event seen for the item
   * (deletes included) is counted and dropped, so a stale upsert arriving after a delete cannot
   * bring the item back. Equal times are applied in arrival order. The newest time is kept after a
   * delete for that reason: one long per item id ever seen, like the revision.
   */
  private boolean isOlderThanNewestSeen(ItemFeature item) throws Exception {
    Long newest = newestEventTime.value();
    if (newest != null && item.eventTime < newest) {
      outOfOrderDropped.inc();
      LOG.debug(
          "Dropping {} of item {} at event time {}: newer event at {} already applied",
          item.deleted ? "delete" : "update",
          item.itemId,
          item.eventTime,
          newest);
      return true;
    }
    newestEventTime.update(item.eventTime);
    return false;
  }

  private SidTokenizer requireInputDim(SidTokenizer candidate, String what) {
    if (candidate.inputDim() != vectorDim) {
      int dim = candidate.inputDim();
      candidate.close();
      throw new IllegalStateException(
          "the "
              + what
              + " takes "
              + dim
              + "-dimensional input but vector.dim is "
              + vectorDim
              + ": set --vector.dim="
              + dim
              + " or give a model trained on "
              + vectorDim
              + "-d features");
    }
    return candidate;
  }

  /** After a restart the broadcast state holds the live version, but the tokenizer is initial. */
  private void syncWithLiveModel(ReadOnlyBroadcastState<String, ModelUpdate> live)
      throws Exception {
    ModelUpdate update = live.get(LIVE_KEY);
    if (update != null && update.version != loadedUpdate) {
      load(update);
    }
  }

  private void load(ModelUpdate update) {
    SidTokenizer next = requireInputDim(tokenizers.restore(update), "model v" + update.version);
    tokenizer.close();
    tokenizer = next;
    loadedUpdate = update.version;
    liveModelVersion = update.version;
  }

  /**
   * Two passes over this subtask's keys: encode the features in batches, then apply. The keyed
   * state can only be written for the key the iteration is on, so the new codes of all items of the
   * subtask are held in memory between the passes (levels ints and one float per item).
   */
  private void reencodeAll(Context ctx, ModelUpdate update, Collector<BucketChange> out)
      throws Exception {
    Map<String, ItemCodes> fresh = new HashMap<>();
    List<String> batchKeys = new ArrayList<>(batchSize);
    List<float[]> batchVectors = new ArrayList<>(batchSize);
    ctx.applyToKeyedState(
        FEATURES,
        (key, state) -> {
          batchKeys.add(key);
          batchVectors.add(state.value().vector);
          if (batchKeys.size() == batchSize) {
            encodeBatch(batchKeys, batchVectors, update.version, fresh);
          }
        });
    encodeBatch(batchKeys, batchVectors, update.version, fresh);

    List<BucketChange> leaves = new ArrayList<>();
    List<BucketChange> joins = new ArrayList<>();
    long[] kept = {0};
    ctx.applyToKeyedState(
        FEATURES,
        (key, state) -> {
          ItemCodes next = fresh.get(key);
          ItemCodes old = codes.value();
          if (old != null && old.sameCodes(next)) {
            codes.update(next);
          } else if (old != null && !churnPolicy.accept(old, next)) {
            kept[0]++;
          } else {
            codes.update(next);
            long rev = nextRevision();
            if (old != null) {
              leaves.add(
                  BucketChange.leave(
                      key, old.codes, rev, old.modelVersion, false, update.publishedAt));
            }
            joins.add(BucketChange.join(key, next.codes, rev, update.version, update.publishedAt));
          }
        });
    // LEAVEs first so that freed suffixes can be reused by this version's JOINs; JOINs sorted so
    // simultaneous arrivals in one bucket get suffixes independent of RocksDB key order.
    joins.sort(Comparator.comparing(c -> c.itemId));
    leaves.forEach(c -> emit(out, c));
    joins.forEach(c -> emit(out, c));
    keptByPolicy.inc(kept[0]);
    lastChurn = joins.size();
    LOG.info(
        "Model v{} re-encoded {} items: {} changed SID, {} kept by {}",
        update.version,
        fresh.size(),
        joins.size(),
        kept[0],
        churnPolicy);
  }

  private void encodeBatch(
      List<String> keys, List<float[]> vectors, long version, Map<String, ItemCodes> into) {
    if (keys.isEmpty()) {
      return;
    }
    Encoding encoding = tokenizer.encode(vectors.toArray(new float[0][]));
    for (int i = 0; i < keys.size(); i++) {
      into.put(
          keys.get(i), new ItemCodes(encoding.codes()[i], encoding.residualNorms()[i], version));
    }
    itemsEncoded.inc(keys.size());
    keys.clear();
    vectors.clear();
  }

  private long nextRevision() throws Exception {
    Long last = revision.value();
    long next = last == null ? 1 : last + 1;
    revision.update(next);
    return next;
  }

  private void emit(Collector<BucketChange> out, BucketChange change) {
    changesOut.inc();
    out.collect(change);
  }
}
