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
 * <p>State per bucket: members (item id -> suffix), their count, and the free suffixes below the
 * high-water mark (sorted). An emptied bucket clears all three, so buckets do not leak.
 */
public class SidBucketAllocator
    extends KeyedProcessFunction<String, BucketChange, BucketAssignment> {

  public static final MapStateDescriptor<String, Integer> MEMBERS =
      new MapStateDescriptor<>("bucket-members", Types.STRING, Types.INT);
  public static final ValueStateDescriptor<Integer> MEMBER_COUNT =
      new ValueStateDescriptor<>("bucket-member-count", Types.INT);
  public static final ValueStateDescriptor<int[]> FREE_SUFFIXES =
      new ValueStateDescriptor<>(
          "bucket-free-suffixes", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO);

  private static final int[] NONE = new int[0];

  private transient MapState<String, Integer> members;
  private transient ValueState<Integer> memberCount;
  private transient ValueState<int[]> freeSuffixes;

  private transient Counter assignments;
  private transient Counter collisions;
  private transient Counter tombstones;
  private transient Histogram bucketSizes;
  private transient int largestBucket;

  @Override
  public void open(OpenContext openContext) {
    members = getRuntimeContext().getMapState(MEMBERS);
    memberCount = getRuntimeContext().getState(MEMBER_COUNT);
    freeSuffixes = getRuntimeContext().getState(FREE_SUFFIXES);
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
    Integer suffix = members.get(change.itemId);
    if (suffix == null) {
      int count = count();
      int[] free = free();
      if (free.length > 0) {
        suffix = free[0];
        freeSuffixes.update(Arrays.copyOfRange(free, 1, free.length));
      } else {
        suffix = count;
      }
      if (count > 0) {
        collisions.inc();
      }
      members.put(change.itemId, suffix);
      memberCount.update(count + 1);
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
      int count = count() - 1;
      if (count == 0) {
        members.clear();
        memberCount.clear();
        freeSuffixes.clear();
      } else {
        memberCount.update(count);
        freeSuffixes.update(insertSorted(free(), suffix));
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

  private int count() throws Exception {
    Integer c = memberCount.value();
    return c == null ? 0 : c;
  }

  private int[] free() throws Exception {
    int[] f = freeSuffixes.value();
    return f == null ? NONE : f;
  }

  private static int[] insertSorted(int[] sorted, int value) {
    int at = Arrays.binarySearch(sorted, value);
    if (at >= 0) {
      return sorted;
    }
    int pos = -at - 1;
    int[] next = new int[sorted.length + 1];
    System.arraycopy(sorted, 0, next, 0, pos);
    next[pos] = value;
    System.arraycopy(sorted, pos, next, pos + 1, sorted.length - pos);
    return next;
  }
}
