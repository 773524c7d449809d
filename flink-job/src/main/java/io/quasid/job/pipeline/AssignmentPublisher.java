package io.quasid.job.pipeline;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step before Kafka, keyed by item id: puts an item's bucket decisions back in revision
 * order and fills in the previous SID.
 *
 * <p>An item moving A -> B -> A has its assignments decided by different bucket subtasks, which may
 * overtake each other; a decision with a revision at or below the last published one is stale and
 * dropped. One keyed value holds the last published record, assignment or tombstone: its revision
 * is the fence, so a deleted item keeps a tombstone here (without it a stale assignment still in
 * flight would resurrect the item), and a record costs one state read and one write.
 *
 * <p>Broadcast input: republish requests (a token, {@code republish.token}). A token not seen
 * before re-sends every record this subtask holds, live assignments and the tombstones of deleted
 * items alike, unchanged but for its assigned time. That repairs the topic after a transaction the
 * broker aborted (its records were fenced here but never committed: an assignment lost leaves an
 * item without its SID, a tombstone lost leaves a deleted item alive to consumers), and is harmless
 * on the compacted topic: a consumer keeping the highest revision sees the same revision again. The
 * request arrives once the run's first checkpoint completed ({@link RepublishRequests}), so the
 * re-sent records do not wait in the sinks' first transaction through a slow start. The sweep runs
 * inside one call, so checkpoints wait for it.
 */
public class AssignmentPublisher
    extends KeyedBroadcastProcessFunction<String, BucketAssignment, String, SidUpdate> {

  public static final ValueStateDescriptor<SidUpdate> LAST_PUBLISHED =
      new ValueStateDescriptor<>("last-published", TypeInformation.of(SidUpdate.class));
  public static final MapStateDescriptor<String, Long> REPUBLISHED =
      new MapStateDescriptor<>("republished-tokens", Types.STRING, Types.LONG);

  private static final Logger LOG = LoggerFactory.getLogger(AssignmentPublisher.class);

  private transient ValueState<SidUpdate> lastPublished;
  private transient Counter published;
  private transient Counter republished;
  private transient Counter tombstones;
  private transient Counter stale;
  private transient Histogram latency;

  @Override
  public void open(OpenContext openContext) {
    lastPublished = getRuntimeContext().getState(LAST_PUBLISHED);
    var metrics = getRuntimeContext().getMetricGroup();
    published = metrics.counter("sidAssignmentsOut");
    republished = metrics.counter("sidAssignmentsRepublished");
    tombstones = metrics.counter("sidTombstonesOut");
    stale = metrics.counter("staleDropped");
    latency = metrics.histogram("assignmentLatencyMs", new DescriptiveStatisticsHistogram(10_000));
  }

  @Override
  public void processElement(BucketAssignment a, ReadOnlyContext ctx, Collector<SidUpdate> out)
      throws Exception {
    SidUpdate last = lastPublished.value();
    if (last != null && a.revision <= last.revision) {
      stale.inc();
      return;
    }
    long now = ctx.currentProcessingTime();
    latency.update(Math.max(0, now - a.causeEventTime));
    SidUpdate update;
    if (a.tombstone) {
      update = SidUpdate.tombstone(a, now);
      tombstones.inc();
    } else {
      update = SidUpdate.assignment(a, last == null || last.tombstone ? null : last.sid, now);
      published.inc();
    }
    lastPublished.update(update);
    out.collect(update);
  }

  @Override
  public void processBroadcastElement(String token, Context ctx, Collector<SidUpdate> out)
      throws Exception {
    BroadcastState<String, Long> done = ctx.getBroadcastState(REPUBLISHED);
    if (token.isEmpty() || done.contains(token)) {
      return;
    }
    long now = ctx.currentProcessingTime();
    long[] live = {0};
    long[] deleted = {0};
    ctx.applyToKeyedState(
        LAST_PUBLISHED,
        (item, state) -> {
          SidUpdate u = state.value();
          if (u != null) {
            out.collect(u.republishedAt(now));
            (u.tombstone ? deleted : live)[0]++;
          }
        });
    done.put(token, now);
    republished.inc(live[0] + deleted[0]);
    LOG.info(
        "Republish request '{}': re-sent {} live SID assignments and {} tombstones",
        token,
        live[0],
        deleted[0]);
  }
}
