package io.quasid.job.pipeline;

import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Gives every member of an SID bucket (keyed by its code tuple) a dedup suffix: an item keeps its
 * suffix while it stays in the bucket; a joining item takes a freed suffix if there is one (the
 * smallest, while the bucket has at most {@link #INLINE_FREE} free suffixes), else the next one
 * above every suffix given out so far. So suffixes stay below the bucket's high-water mark, and the
 * usual bucket fills its holes from the bottom.
 *
 * <p>Ordering: all changes of one item come from the one assigner subtask that owns the item, in
 * revision order, and Flink keeps the order of records between two subtasks. So a bucket always
 * sees an item's JOIN before that item's LEAVE of the same bucket, and the suffixes in a bucket
 * depend only on the sequence of joins and leaves of that bucket, never on other buckets. JOIN and
 * LEAVE of different buckets may overtake each other; {@link AssignmentPublisher} orders those by
 * revision.
 *
 * <p>State per bucket: members (item id -> suffix), and one small value: the member count, the
 * high-water mark, and up to {@link #INLINE_FREE} free suffixes (sorted); more free suffixes spill
 * into a stack of their own ({@link #SPILLED_FREE}, most recently freed first). A join or leave is
 * a bounded number of state reads and writes however large the bucket: before, every free suffix
 * was inline, and a hot bucket (many items with one vector, joining and leaving) copied a value
 * that grew with the bucket on every change. An emptied bucket clears everything, so buckets do not
 * leak.
 */
public class SidBucketAllocator
    extends KeyedProcessFunction<String, BucketChange, BucketAssignment> {

  public static final MapStateDescriptor<String, Integer> MEMBERS =
      new MapStateDescriptor<>("bucket-members", Types.STRING, Types.INT);

  /**
   * {@code [LAYOUT, member count, high-water mark, spilled count, free suffix, ...]}, the inline
   * free suffixes ascending. A value of an earlier version, {@code [member count, free suffix,
   * ...]} (its first entry a positive count, never the negative tag), is converted when its bucket
   * is next touched.
   */
  public static final ValueStateDescriptor<int[]> COUNT_AND_FREE =
      new ValueStateDescriptor<>(
          "bucket-count-and-free", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO);

  /** Free suffixes beyond the inline ones: position in the stack -> suffix. */
  public static final MapStateDescriptor<Integer, Integer> SPILLED_FREE =
      new MapStateDescriptor<>("bucket-spilled-free", Types.INT, Types.INT);

  /** Most free suffixes kept inline, where the smallest is reused first. */
  static final int INLINE_FREE = 32;

  private static final int LAYOUT = -2;
  private static final int COUNT = 1;
  private static final int HIGH_WATER = 2;
  private static final int SPILLED = 3;
  private static final int FIRST_FREE = 4;
  private static final int[] EMPTY = {LAYOUT, 0, 0, 0};

  private transient MapState<String, Integer> members;
  private transient ValueState<int[]> countAndFree;
  private transient MapState<Integer, Integer> spilledFree;

  private transient Counter assignments;
  private transient Counter collisions;
  private transient Counter tombstones;
  private transient Histogram bucketSizes;
  private transient int largestBucket;

  @Override
  public void open(OpenContext openContext) {
    members = getRuntimeContext().getMapState(MEMBERS);
    countAndFree = getRuntimeContext().getState(COUNT_AND_FREE);
    spilledFree = getRuntimeContext().getMapState(SPILLED_FREE);
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
    int[] meta = meta();
    int count = meta[COUNT];
    // An empty bucket has no members to look up: most joins of a sparse catalogue, and of a
    // re-encoding sweep, land in one.
    Integer suffix = count == 0 ? null : members.get(change.itemId);
    if (suffix == null) {
      int[] next;
      if (meta.length > FIRST_FREE) {
        suffix = meta[FIRST_FREE];
        next = new int[meta.length - 1];
        System.arraycopy(meta, 0, next, 0, FIRST_FREE);
        System.arraycopy(meta, FIRST_FREE + 1, next, FIRST_FREE, meta.length - FIRST_FREE - 1);
      } else if (meta[SPILLED] > 0) {
        next = meta.clone();
        int top = --next[SPILLED];
        suffix = spilledFree.get(top);
        spilledFree.remove(top);
      } else {
        next = meta.clone();
        suffix = next[HIGH_WATER]++;
      }
      next[COUNT] = count + 1;
      if (count > 0) {
        collisions.inc();
      }
      members.put(change.itemId, suffix);
      countAndFree.update(next);
      bucketSizes.update(count + 1);
      largestBucket = Math.max(largestBucket, count + 1);
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
    Integer suffix = members.get(change.itemId);
    if (suffix != null) {
      members.remove(change.itemId);
      int[] meta = meta();
      if (meta[COUNT] <= 1) {
        // The last member was just removed: the member map is empty already.
        countAndFree.clear();
        spilledFree.clear();
      } else {
        int[] next;
        if (meta.length - FIRST_FREE < INLINE_FREE) {
          next = insertFree(meta, suffix);
        } else {
          next = meta.clone();
          spilledFree.put(next[SPILLED]++, suffix);
        }
        next[COUNT] = meta[COUNT] - 1;
        countAndFree.update(next);
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

  private int[] meta() throws Exception {
    int[] meta = countAndFree.value();
    if (meta == null) {
      return EMPTY;
    }
    return meta[0] == LAYOUT ? meta : fromEarlierLayout(meta);
  }

  /**
   * Converts {@code [count, free ascending...]}, as written before the spill stack existed: its
   * suffixes lie below count + free (every suffix given out is a member's or free).
   */
  private int[] fromEarlierLayout(int[] old) throws Exception {
    int free = old.length - 1;
    int inline = Math.min(free, INLINE_FREE);
    int[] meta = new int[FIRST_FREE + inline];
    meta[0] = LAYOUT;
    meta[COUNT] = old[0];
    meta[HIGH_WATER] = old[0] + free;
    System.arraycopy(old, 1, meta, FIRST_FREE, inline);
    // The rest spill largest first, so the smallest of them is reused first.
    for (int i = old.length - 1; i > inline; i--) {
      spilledFree.put(meta[SPILLED]++, old[i]);
    }
    countAndFree.update(meta);
    return meta;
  }

  /** A copy of {@code meta} with {@code suffix} among its inline free suffixes. */
  private static int[] insertFree(int[] meta, int suffix) {
    int at = Arrays.binarySearch(meta, FIRST_FREE, meta.length, suffix);
    if (at >= 0) {
      return meta.clone();
    }
    int pos = -at - 1;
    int[] next = new int[meta.length + 1];
    System.arraycopy(meta, 0, next, 0, pos);
    next[pos] = suffix;
    System.arraycopy(meta, pos, next, pos + 1, meta.length - pos);
    return next;
  }
}
