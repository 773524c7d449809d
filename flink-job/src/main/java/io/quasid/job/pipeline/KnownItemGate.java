package io.quasid.job.pipeline;

import io.quasid.job.training.EngagementAdmission;
import io.quasid.job.types.Engagement;
import io.quasid.job.types.ItemFeature;
import io.quasid.schemas.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets through only interactions whose item is in the catalogue, keyed by item id. The two topics
 * are not ordered against each other, so an interaction for an item not seen yet waits for the
 * item, and is dead-lettered as UNKNOWN_ID only once both topics have been read past it: the
 * operator's watermark ({@link TopicProgress}: broker timestamps, the grace behind the slowest
 * partition of either topic, following the wall clock only on a partition the broker says has
 * nothing left to read) has passed the interaction's broker timestamp. In live traffic that is
 * about one grace after the interaction; in a catch-up (both topics read from an earlier offset,
 * the item path slower) the lagging item partitions hold it back for as long as they lag. Two
 * earlier rules dead-lettered valid interactions in the streaming benchmark: a processing-time
 * grace alone (17-38 % of them in a catch-up), then "items newer than the interaction have arrived
 * here", which one item partition running ahead of another satisfies while the item is still on its
 * way in the other. Whatever the topics do, an interaction waits at most {@code maxWaitMillis}
 * (processing time), so nothing leaks; that last resort has its own counter ({@code
 * interactionsDeadLetteredAtMaxWait}) and log line, since it is the one rule that can reject an
 * interaction whose item is still on its way.
 *
 * <p>When the job trains, the gate is also the training branch's one store of item features: it
 * keeps each item's latest features (an older event never replaces a newer one) and sends them
 * along with the interaction, so the pairs built from a user's engagements need no further join
 * (before, two keyed joins each kept a copy of every vector and cost two shuffles of the item
 * stream; the streaming benchmark's profile of the training-on job found them among its busiest
 * tasks). Without training the gate keeps only the item id and event time. When the job trains, the
 * gate also decides which engagements enter training ({@link EngagementAdmission}): above the
 * branch's rate budget only a share of users' engagements go on, so training never takes the CPU
 * that assignment needs.
 *
 * <p>An item's events are applied in the assigner's per-item event-time order: an update or delete
 * older than the newest applied is dropped ({@code staleItemEventsDropped}), so a stale delete does
 * not forget a live item and a stale upsert does not revive a deleted one. A deleted item keeps a
 * tombstone (its id and the delete's time), as the assigner keeps its revision; the delete of an id
 * never seen keeps one only for {@code items.unknown-delete-retention}, so deletes of ids that
 * never existed cannot grow the state.
 *
 * <p>State per item: the latest features (a tombstone after a delete) and the waiting interactions,
 * with an event-time timer at each one's broker timestamp, the processing time the first began
 * waiting and a processing-time timer at the maximum wait.
 */
public class KnownItemGate
    extends KeyedCoProcessFunction<String, ItemFeature, SourcedInteraction, Engagement> {

  private static final Logger LOG = LoggerFactory.getLogger(KnownItemGate.class);

  public static final ValueStateDescriptor<ItemFeature> KNOWN =
      new ValueStateDescriptor<>("known-item-features", ItemFeature.class);
  public static final ListStateDescriptor<SourcedInteraction> PENDING =
      new ListStateDescriptor<>(
          "pending-interactions", TypeInformation.of(SourcedInteraction.class));
  public static final ValueStateDescriptor<Long> PENDING_TIMER =
      new ValueStateDescriptor<>("pending-timer", Types.LONG);
  public static final ValueStateDescriptor<Long> PENDING_SINCE =
      new ValueStateDescriptor<>("pending-since", Types.LONG);
  public static final ValueStateDescriptor<Long> FORGET_AT =
      new ValueStateDescriptor<>("unknown-delete-forget-at", Types.LONG);

  private final long graceMillis;
  private final long maxWaitMillis;
  private final EngagementAdmission training;
  private long unknownDeleteRetentionMillis =
      SidAssigner.DEFAULT_UNKNOWN_DELETE_RETENTION.toMillis();

  private transient ValueState<ItemFeature> known;
  private transient ListState<SourcedInteraction> pending;
  private transient ValueState<Long> pendingTimer;
  private transient ValueState<Long> pendingSince;
  private transient ValueState<Long> forgetAt;
  private transient Counter staleDropped;
  private transient Counter waitedForItem;
  private transient DeadLetters deadLetters;
  private transient Counter passed;
  private transient Counter notAdmitted;
  private transient Counter withoutFeatures;
  private transient Counter maxWaitExpired;

  /**
   * @param graceMillis the grace of the job's {@link TopicProgress}, for the dead letters' reason
   * @param maxWaitMillis how long an interaction waits for its item at most, in processing time
   * @param training admission of engagements into training, or null when the job does not train
   *     (then the gate keeps no features and its output is not consumed)
   */
  public KnownItemGate(long graceMillis, long maxWaitMillis, EngagementAdmission training) {
    this.graceMillis = graceMillis;
    this.maxWaitMillis = maxWaitMillis;
    this.training = training;
  }

  @Override
  public void open(OpenContext openContext) {
    known = getRuntimeContext().getState(KNOWN);
    pending = getRuntimeContext().getListState(PENDING);
    pendingTimer = getRuntimeContext().getState(PENDING_TIMER);
    pendingSince = getRuntimeContext().getState(PENDING_SINCE);
    forgetAt = getRuntimeContext().getState(FORGET_AT);
    staleDropped = getRuntimeContext().getMetricGroup().counter("staleItemEventsDropped");
    waitedForItem = getRuntimeContext().getMetricGroup().counter("interactionsWaitedForItem");
    deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
    passed = getRuntimeContext().getMetricGroup().counter("interactionsForKnownItems");
    notAdmitted = getRuntimeContext().getMetricGroup().counter("engagementsNotAdmittedToTraining");
    withoutFeatures =
        getRuntimeContext().getMetricGroup().counter("engagementsWithoutFeaturesForTraining");
    maxWaitExpired =
        getRuntimeContext().getMetricGroup().counter("interactionsDeadLetteredAtMaxWait");
    if (training != null) {
      training.open(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
      getRuntimeContext()
          .getMetricGroup()
          .gauge("trainingAdmissionFraction", () -> training.fraction());
    }
  }

  @Override
  public void processElement1(ItemFeature item, Context ctx, Collector<Engagement> out)
      throws Exception {
    ItemFeature current = known.value();
    if (current != null && item.eventTime < current.eventTime) {
      boolean lacksFeatures =
          training != null && !current.deleted && !item.deleted && current.vector == null;
      if (!lacksFeatures) {
        staleDropped.inc();
        return;
      }
      // An id-only entry (kept while the job did not train) takes the features whatever their
      // time, and keeps its own newer time.
      item = ItemFeature.upsert(item.itemId, item.vector, item.groupId, current.eventTime);
    }
    if (item.deleted) {
      if (current == null) {
        long at = ctx.timerService().currentProcessingTime() + unknownDeleteRetentionMillis;
        forgetAt.update(at);
        ctx.timerService().registerProcessingTimeTimer(at);
      }
      known.update(item.withoutFeatures());
      return;
    }
    ItemFeature previous = current;
    current = training != null ? item : item.withoutFeatures();
    known.update(current);
    // Interactions wait only while the item is absent or deleted, and a forget timer belongs to a
    // deleted entry: the update of a live item reads no other state, a new item one more.
    if (previous != null && !previous.deleted) {
      return;
    }
    if (previous != null) {
      clearForgetTimer(ctx.timerService());
    }
    // Set whenever interactions wait (pending-since is missing on entries of older versions).
    if (pendingTimer.value() != null) {
      long now = ctx.timerService().currentProcessingTime();
      List<SourcedInteraction> waiting = new ArrayList<>();
      for (SourcedInteraction in : pending.get()) {
        emit(in, current, now, out);
        waiting.add(in);
      }
      stopWaiting(waiting, ctx.timerService());
    }
  }

  @Override
  public void processElement2(SourcedInteraction in, Context ctx, Collector<Engagement> out)
      throws Exception {
    ItemFeature item = known.value();
    if (item != null && !item.deleted) {
      emit(in, item, ctx.timerService().currentProcessingTime(), out);
      return;
    }
    pending.add(in);
    waitedForItem.inc();
    ctx.timerService().registerEventTimeTimer(topicTime(in));
    if (pendingSince.value() == null) {
      long now = ctx.timerService().currentProcessingTime();
      pendingSince.update(now);
      pendingTimer.update(now + maxWaitMillis);
      ctx.timerService().registerProcessingTimeTimer(now + maxWaitMillis);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Engagement> out)
      throws Exception {
    Long forget = forgetAt.value();
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME && forget != null && forget == timestamp) {
      forgetAt.clear();
      ItemFeature item = known.value();
      if (item != null && item.deleted) {
        known.clear();
      }
      Long maxWait = pendingTimer.value();
      if (maxWait == null || maxWait != timestamp) {
        return;
      }
    }
    long now = ctx.timerService().currentProcessingTime();
    // No start time: the interactions began waiting under a job version that did not keep one.
    Long recordedSince = pendingSince.value();
    long since = recordedSince != null ? recordedSince : now - graceMillis;
    boolean waitedLongest = now - since >= maxWaitMillis;
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME && !waitedLongest) {
      // A timer of a job version that waited in processing time only: wait as this one does.
      for (SourcedInteraction waiting : pending.get()) {
        ctx.timerService().registerEventTimeTimer(topicTime(waiting));
      }
      pendingSince.update(since);
      pendingTimer.update(since + maxWaitMillis);
      ctx.timerService().registerProcessingTimeTimer(since + maxWaitMillis);
      return;
    }
    long watermark = ctx.timerService().currentWatermark();
    List<SourcedInteraction> waitOn = new ArrayList<>();
    List<SourcedInteraction> rejected = new ArrayList<>();
    for (SourcedInteraction waiting : pending.get()) {
      if (waitedLongest || topicTime(waiting) <= watermark) {
        rejected.add(waiting);
      } else {
        waitOn.add(waiting);
      }
    }
    if (waitedLongest && !rejected.isEmpty()) {
      // The last resort: the topics never showed the item could not still arrive.
      maxWaitExpired.inc(rejected.size());
      LOG.warn(
          "{} interaction(s) for item {} dead-lettered after waiting the maximum {} ms, before"
              + " both topics were read past them (a stalled or unreadable item partition?)",
          rejected.size(),
          ctx.getCurrentKey(),
          maxWaitMillis);
    }
    for (SourcedInteraction waiting : rejected) {
      deadLetters.count(ErrorKind.UNKNOWN_ID);
      ctx.output(
          DeadLetters.TAG,
          RejectedRecord.of(
              waiting.source,
              ErrorKind.UNKNOWN_ID,
              reason(waiting, now - since, waitedLongest),
              now));
    }
    if (waitOn.isEmpty()) {
      stopWaiting(rejected, ctx.timerService());
    } else if (!rejected.isEmpty()) {
      // Their timers are due at this watermark too: each would read the list again for nothing.
      deleteTopicTimers(rejected, ctx.timerService());
      pending.update(waitOn);
    }
  }

  private String reason(SourcedInteraction waiting, long waitedMillis, boolean waitedLongest) {
    return "item "
        + waiting.interaction.itemId
        + (waitedLongest
            ? " not in the catalogue after "
                + waitedMillis
                + " ms (interactions.unknown-item-max-wait)"
            : " not in the catalogue once both topics were read "
                + graceMillis
                + " ms past the interaction (interactions.unknown-item-grace)");
  }

  /** An unknown id's delete is superseded by the item itself: its tombstone stays no longer. */
  private void clearForgetTimer(TimerService timers) throws Exception {
    Long at = forgetAt.value();
    if (at != null) {
      timers.deleteProcessingTimeTimer(at);
      forgetAt.clear();
    }
  }

  /**
   * How long the delete of an id never seen is remembered (default {@link
   * SidAssigner#DEFAULT_UNKNOWN_DELETE_RETENTION}).
   */
  public KnownItemGate retainingUnknownDeletesFor(java.time.Duration retention) {
    this.unknownDeleteRetentionMillis = retention.toMillis();
    return this;
  }

  /** Clears the waiting interactions and every timer they still have. */
  private void stopWaiting(List<SourcedInteraction> waiting, TimerService timers) throws Exception {
    deleteTopicTimers(waiting, timers);
    Long timer = pendingTimer.value();
    if (timer != null) {
      timers.deleteProcessingTimeTimer(timer);
    }
    pending.clear();
    pendingTimer.clear();
    pendingSince.clear();
  }

  private static void deleteTopicTimers(List<SourcedInteraction> waiting, TimerService timers) {
    for (SourcedInteraction in : waiting) {
      timers.deleteEventTimeTimer(topicTime(in));
    }
  }

  /** The interaction's broker timestamp, the time {@link TopicProgress} measures the topics in. */
  private static long topicTime(SourcedInteraction in) {
    return in.source != null ? in.source.timestamp : in.interaction.eventTime;
  }

  private void emit(SourcedInteraction in, ItemFeature item, long now, Collector<Engagement> out) {
    passed.inc();
    if (training == null) {
      out.collect(new Engagement(in.interaction, null));
    } else if (in.interaction.weight <= 0) {
      return; // not an engagement: the pair generator would drop it after a shuffle
    } else if (item.vector == null) {
      // Restored from a run without training: no features until the item is published again.
      withoutFeatures.inc();
    } else if (training.admit(in.interaction.userId, now)) {
      out.collect(new Engagement(in.interaction, item));
    } else {
      notAdmitted.inc();
    }
  }
}
