package io.quasid.job.pipeline;

import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Gives every member of an SID bucket (keyed by its code tuple) a dedup suffix: an item keeps its
 * suffix while it stays in the bucket; a joining item takes a freed suffix if there is one (the
 * smallest, while the bucket has at most {@link BucketState#INLINE_FREE} free suffixes), else the
 * next one above every suffix given out so far. So suffixes stay below the bucket's high-water
 * mark, and the usual bucket fills its holes from the bottom.
 *
 * <p>Ordering: all changes of one item come from the one assigner subtask that owns the item, in
 * revision order, and Flink keeps the order of records between two subtasks. So a bucket always
 * sees an item's JOIN before that item's LEAVE of the same bucket, and the suffixes in a bucket
 * depend only on the sequence of joins and leaves of that bucket, never on other buckets. JOIN and
 * LEAVE of different buckets may overtake each other; {@link AssignmentPublisher} orders those by
 * revision.
 *
 * <p>State per bucket: one {@link BucketState} (count, high-water mark, the first free suffixes and
 * the first members), so a join or leave of the usual bucket is one read and one write. Members and
 * free suffixes beyond the inline ones spill into a map ({@link #MEMBERS}) and a stack ({@link
 * #SPILLED_FREE}, most recently freed first), so a hot bucket's value stays bounded. An emptied
 * bucket clears everything, so buckets do not leak.
 *
 * <p>Savepoints of the earlier layout (every member in {@link #MEMBERS}, the count and free
 * suffixes in {@link #COUNT_AND_FREE}) restore into this one: such a bucket is converted when it is
 * next touched. Until then a bucket missing from the new value may be an old one, so a job restored
 * from such a savepoint reads the old value too on a miss; a job started empty, or restored from a
 * savepoint of this layout that it started empty, never does ({@link #LEGACY}).
 */
public class SidBucketAllocator extends KeyedProcessFunction<String, BucketChange, BucketAssignment>
    implements CheckpointedFunction {

  public static final ValueStateDescriptor<BucketState> BUCKET =
      new ValueStateDescriptor<>("bucket", TypeInformation.of(BucketState.class));

  /** Members beyond the inline ones (every member, in a bucket of the earlier layout). */
  public static final MapStateDescriptor<String, Integer> MEMBERS =
      new MapStateDescriptor<>("bucket-members", Types.STRING, Types.INT);

  /** Free suffixes beyond the inline ones: position in the stack -> suffix. */
  public static final MapStateDescriptor<Integer, Integer> SPILLED_FREE =
      new MapStateDescriptor<>("bucket-spilled-free", Types.INT, Types.INT);

  /**
   * The earlier layout's count and free suffixes: {@code [-2, member count, high-water mark,
   * spilled count, free suffix, ...]}, or before the spill stack {@code [member count, free suffix,
   * ...]}. Read only by a job restored from a savepoint that may hold it.
   */
  public static final ValueStateDescriptor<int[]> COUNT_AND_FREE =
      new ValueStateDescriptor<>(
          "bucket-count-and-free", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO);

  /**
   * Whether buckets of the earlier layout may exist in this job's state: true once restored from a
   * savepoint without this marker, and kept true after (union state: every subtask holds any key
   * group after a rescale).
   */
  static final ListStateDescriptor<Boolean> LEGACY =
      new ListStateDescriptor<>("bucket-layout-legacy", Types.BOOLEAN);

  private static final int LAYOUT = -2;

  private transient ValueState<BucketState> buckets;
  private transient MapState<String, Integer> members;
  private transient MapState<Integer, Integer> spilledFree;
  private transient ValueState<int[]> legacyCountAndFree;
  private transient ListState<Boolean> legacyMarker;
  private transient boolean legacy;

  private transient Counter assignments;
  private transient Counter collisions;
  private transient Counter tombstones;
  private transient Histogram bucketSizes;
  private transient int largestBucket;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    legacyMarker = context.getOperatorStateStore().getUnionListState(LEGACY);
    boolean marked = false;
    for (Boolean b : legacyMarker.get()) {
      marked = true;
      legacy |= b;
    }
    legacy |= context.isRestored() && !marked;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    legacyMarker.update(List.of(legacy));
  }

  @Override
  public void open(OpenContext openContext) {
    buckets = getRuntimeContext().getState(BUCKET);
    members = getRuntimeContext().getMapState(MEMBERS);
    spilledFree = getRuntimeContext().getMapState(SPILLED_FREE);
    if (legacy) {
      legacyCountAndFree = getRuntimeContext().getState(COUNT_AND_FREE);
    }
    var metrics = getRuntimeContext().getMetricGroup();
    assignments = metrics.counter("bucketAssignments");
    collisions = metrics.counter("collisions");
    tombstones = metrics.counter("tombstones");
    bucketSizes = metrics.histogram("bucketSize", new DescriptiveStatisticsHistogram(10_000));
    metrics.gauge("largestBucket", () -> largestBucket);
  }

  @Override
  public void processElement(BucketChange change, Context ctx, Collector<BucketAssignment> out)
      throws Exception {
    switch (change.kind) {
      case JOIN -> join(change, out);
      case LEAVE -> leave(change, out);
    }
  }

  private void join(BucketChange change, Collector<BucketAssignment> out) throws Exception {
    BucketState bucket = bucket();
    int suffix = bucket == null ? -1 : suffixOf(bucket, change.itemId);
    if (suffix < 0) {
      if (bucket == null) {
        bucket = new BucketState();
      }
      suffix = bucket.takeInlineFree();
      if (suffix < 0 && bucket.spilledFree > 0) {
        int top = --bucket.spilledFree;
        suffix = spilledFree.get(top);
        spilledFree.remove(top);
      } else if (suffix < 0) {
        suffix = bucket.highWater++;
      }
      if (bucket.count > 0) {
        collisions.inc();
      }
      if (!bucket.addInline(change.itemId, suffix)) {
        members.put(change.itemId, suffix);
      }
      bucket.count++;
      buckets.update(bucket);
      bucketSizes.update(bucket.count);
      largestBucket = Math.max(largestBucket, bucket.count);
    }
    assignments.inc();
    out.collect(
        new BucketAssignment(
            change.itemId,
            change.codes,
            suffix,
            change.revision,
            change.modelVersion,
            false,
            change.causeEventTime));
  }

  private void leave(BucketChange change, Collector<BucketAssignment> out) throws Exception {
    BucketState bucket = bucket();
    int suffix = bucket == null ? -1 : bucket.removeInline(change.itemId);
    if (suffix < 0 && bucket != null && bucket.hasSpilledMembers()) {
      Integer spilled = members.get(change.itemId);
      if (spilled != null) {
        suffix = spilled;
        members.remove(change.itemId);
      }
    }
    if (suffix >= 0) {
      if (bucket.count <= 1) {
        // The last member was just removed: nothing spilled is left but free suffixes.
        buckets.clear();
        spilledFree.clear();
      } else {
        if (!bucket.freeInline(suffix)) {
          spilledFree.put(bucket.spilledFree++, suffix);
        }
        bucket.count--;
        buckets.update(bucket);
      }
    }
    if (change.deleted) {
      tombstones.inc();
      out.collect(
          new BucketAssignment(
              change.itemId,
              change.codes,
              -1,
              change.revision,
              change.modelVersion,
              true,
              change.causeEventTime));
    }
  }

  /** The member's suffix, inline or spilled; -1 if the item is not in the bucket. */
  private int suffixOf(BucketState bucket, String itemId) throws Exception {
    int suffix = bucket.inlineSuffix(itemId);
    if (suffix < 0 && bucket.hasSpilledMembers()) {
      Integer spilled = members.get(itemId);
      return spilled == null ? -1 : spilled;
    }
    return suffix;
  }

  /** The current bucket's value, converted from the earlier layout if need be; null if empty. */
  private BucketState bucket() throws Exception {
    BucketState bucket = buckets.value();
    if (bucket != null || !legacy) {
      return bucket;
    }
    int[] old = legacyCountAndFree.value();
    if (old == null) {
      return null;
    }
    bucket = old[0] == LAYOUT ? fromLayout2(old) : fromLayout1(old);
    buckets.update(bucket);
    legacyCountAndFree.clear();
    return bucket;
  }

  /**
   * {@code [-2, count, high water, spilled, free...]}: its members stay in the map (all spilled),
   * its spill stack stays where it is.
   */
  private static BucketState fromLayout2(int[] old) {
    BucketState bucket = new BucketState();
    bucket.count = old[1];
    bucket.highWater = old[2];
    bucket.spilledFree = old[3];
    bucket.free = Arrays.copyOfRange(old, 4, old.length);
    return bucket;
  }

  /**
   * {@code [count, free ascending...]}, from before the spill stack: its suffixes lie below count +
   * free (every suffix given out is a member's or free). Free suffixes beyond the inline ones spill
   * largest first, so the smallest of them is reused first.
   */
  private BucketState fromLayout1(int[] old) throws Exception {
    BucketState bucket = new BucketState();
    int free = old.length - 1;
    int inline = Math.min(free, BucketState.INLINE_FREE);
    bucket.count = old[0];
    bucket.highWater = old[0] + free;
    bucket.free = Arrays.copyOfRange(old, 1, 1 + inline);
    for (int i = old.length - 1; i > inline; i--) {
      spilledFree.put(bucket.spilledFree++, old[i]);
    }
    return bucket;
  }
}
