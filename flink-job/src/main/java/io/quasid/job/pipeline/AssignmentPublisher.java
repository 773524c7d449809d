package io.quasid.job.pipeline;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The last step before Kafka, keyed by item id: puts an item's bucket decisions back in revision
 * order and fills in the previous SID.
 *
 * <p>An item moving A -> B -> A has its assignments decided by different bucket subtasks, which may
 * overtake each other; a decision with a revision at or below the last published one is stale and
 * dropped. On delete the live SID is cleared, but the revision fence stays (one long per item id
 * ever seen): without it a stale assignment still in flight would resurrect the deleted item.
 */
public class AssignmentPublisher extends KeyedProcessFunction<String, BucketAssignment, SidUpdate> {

  public static final ValueStateDescriptor<Long> LAST_REVISION =
      new ValueStateDescriptor<>("published-revision", Types.LONG);
  public static final ValueStateDescriptor<String> LIVE_SID =
      new ValueStateDescriptor<>("live-sid", Types.STRING);

  private transient ValueState<Long> lastRevision;
  private transient ValueState<String> liveSid;
  private transient Counter published;
  private transient Counter tombstones;
  private transient Counter stale;
  private transient Histogram latency;

  @Override
  public void open(OpenContext openContext) {
    lastRevision = getRuntimeContext().getState(LAST_REVISION);
    liveSid = getRuntimeContext().getState(LIVE_SID);
    var metrics = getRuntimeContext().getMetricGroup();
    published = metrics.counter("sidAssignmentsOut");
    tombstones = metrics.counter("sidTombstonesOut");
    stale = metrics.counter("staleDropped");
    latency = metrics.histogram("assignmentLatencyMs", new DescriptiveStatisticsHistogram(10_000));
  }

  @Override
  public void processElement(BucketAssignment a, Context ctx, Collector<SidUpdate> out)
      throws Exception {
    Long last = lastRevision.value();
    if (last != null && a.revision <= last) {
      stale.inc();
      return;
    }
    lastRevision.update(a.revision);
    long now = ctx.timerService().currentProcessingTime();
    latency.update(Math.max(0, now - a.causeEventTime));
    if (a.tombstone) {
      liveSid.clear();
      tombstones.inc();
      out.collect(SidUpdate.tombstone(a, now));
      return;
    }
    SidUpdate update = SidUpdate.assignment(a, liveSid.value(), now);
    liveSid.update(update.sid);
    published.inc();
    out.collect(update);
  }
}
