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
 * suffix while it stays in the bucket; a joining item takes the smallest free suffix.
 *
 * <p>Ordering: all changes of one item come from the one assigner subtask that owns the item, in
 * revision order, and Flink keeps the order of records between two subtasks. So a bucket always
 * sees an item's JOIN before that item's LEAVE of the same bucket, and the suffixes in a bucket
 * depend only on the sequence of joins and leaves of that bucket, never on other buckets. JOIN and
 * LEAVE of different buckets may overtake each other; {@link AssignmentPublisher} orders those by
 * revision.
 *
 * <p>State per bucket: members (item id -> suffix), and in one value their count followed by the
 * free suffixes below the high-water mark (sorted), so a join reads two states, not three. An
 * emptied bucket clears both, so buckets do not leak.
 */
public class SidBucketAllocator
    extends KeyedProcessFunction<String, BucketChange, BucketAssignment> {

  public static final MapStateDescriptor<String, Integer> MEMBERS =
      new MapStateDescriptor<>("bucket-members", Types.STRING, Types.INT);

  /** {@code [member count, free suffix, free suffix, ...]}, free suffixes ascending. */
  public static final ValueStateDescriptor<int[]> COUNT_AND_FREE =
      new ValueStateDescriptor<>(
          "bucket-count-and-free", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO);

  private static final int[] EMPTY = {0};

  private transient MapState<String, Integer> members;
  private transient ValueState<int[]> countAndFree;

  private transient Counter assignments;
  private transient Counter collisions;
  private transient Counter tombstones;
  private transient Histogram bucketSizes;
  private transient int largestBucket;

  @Override
  public void open(OpenContext openContext) {
    members = getRuntimeContext().getMapState(MEMBERS);
    countAndFree = getRuntimeContext().getState(COUNT_AND_FREE);
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
    int[] meta = countAndFree();
    // An empty bucket has no members to look up: most joins of a sparse catalogue, and of a
    // re-encoding sweep, land in one.
    Integer suffix = meta[0] == 0 ? null : members.get(change.itemId);
    if (suffix == null) {
      int count = meta[0];
      int[] next;
      if (meta.length > 1) {
        suffix = meta[1];
        next = Arrays.copyOfRange(meta, 1, meta.length);
      } else {
        suffix = count;
        next = new int[1];
      }
      next[0] = count + 1;
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
      int[] meta = countAndFree();
      if (meta[0] <= 1) {
        // The last member was just removed: the member map is empty already.
        countAndFree.clear();
      } else {
        int[] next = insertFree(meta, suffix);
        next[0] = meta[0] - 1;
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

  private int[] countAndFree() throws Exception {
    int[] meta = countAndFree.value();
    return meta == null ? EMPTY : meta;
  }

  /** A copy of {@code meta} with {@code suffix} among its free suffixes (after the count). */
  private static int[] insertFree(int[] meta, int suffix) {
    int at = Arrays.binarySearch(meta, 1, meta.length, suffix);
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
