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
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets through only interactions whose item is in the catalogue, keyed by item id. The two topics
 * are not ordered against each other, so an interaction for an item not seen yet waits up to a
 * grace period (processing time) for the item; after that it is dead-lettered as UNKNOWN_ID, unless
 * the item stream is behind the interaction: items still arriving at this subtask (within the
 * grace) and none of them as new in event time as the interaction. That is a catch-up (both topics
 * read from an earlier offset, the item path slower than the interaction path), in which the
 * streaming benchmark measured 17-38 % of valid interactions dead-lettered with a processing-time
 * grace alone; the interaction then waits on, checked again after as long as it has waited so far,
 * at most {@code maxWaitMillis} in all.
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
 * <p>State per item: the latest features (cleared on delete) and the waiting interactions with
 * their timer and the time the first of them arrived. Waiting interactions are bounded by the
 * maximum wait, so nothing leaks. The item stream's progress (newest item event time and last
 * arrival at this subtask) is not checkpointed: after a restore it starts unknown, which counts as
 * behind while items arrive.
 */
public class KnownItemGate
    extends KeyedCoProcessFunction<String, ItemFeature, SourcedInteraction, Engagement> {

  public static final ValueStateDescriptor<ItemFeature> KNOWN =
      new ValueStateDescriptor<>("known-item-features", ItemFeature.class);
  public static final ListStateDescriptor<SourcedInteraction> PENDING =
      new ListStateDescriptor<>(
          "pending-interactions", TypeInformation.of(SourcedInteraction.class));
  public static final ValueStateDescriptor<Long> PENDING_TIMER =
      new ValueStateDescriptor<>("pending-timer", Types.LONG);
  public static final ValueStateDescriptor<Long> PENDING_SINCE =
      new ValueStateDescriptor<>("pending-since", Types.LONG);

  private final long graceMillis;
  private final long maxWaitMillis;
  private final EngagementAdmission training;

  private transient ValueState<ItemFeature> known;
  private transient ListState<SourcedInteraction> pending;
  private transient ValueState<Long> pendingTimer;
  private transient ValueState<Long> pendingSince;
  private transient long newestItemEventTime;
  private transient long lastItemArrival;
  private transient Counter heldForItemStream;
  private transient DeadLetters deadLetters;
  private transient Counter passed;
  private transient Counter notAdmitted;
  private transient Counter withoutFeatures;

  /**
   * @param graceMillis how long an interaction waits for its item before it is dead-lettered
   * @param maxWaitMillis how long it waits at most while the item stream is behind it
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
    newestItemEventTime = Long.MIN_VALUE;
    lastItemArrival = Long.MIN_VALUE / 2;
    heldForItemStream =
        getRuntimeContext().getMetricGroup().counter("interactionsHeldForLaggingItems");
    deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
    passed = getRuntimeContext().getMetricGroup().counter("interactionsForKnownItems");
    notAdmitted = getRuntimeContext().getMetricGroup().counter("engagementsNotAdmittedToTraining");
    withoutFeatures =
        getRuntimeContext().getMetricGroup().counter("engagementsWithoutFeaturesForTraining");
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
    newestItemEventTime = Math.max(newestItemEventTime, item.eventTime);
    lastItemArrival = ctx.timerService().currentProcessingTime();
    if (item.deleted) {
      known.clear();
      return;
    }
    ItemFeature current = known.value();
    // An id-only entry (kept while the job did not train) takes the features whatever their time.
    boolean lacksFeatures = training != null && current != null && current.vector == null;
    if (current == null || current.eventTime <= item.eventTime || lacksFeatures) {
      current = training != null ? item : item.withoutFeatures();
      known.update(current);
    }
    Long timer = pendingTimer.value();
    if (timer != null) {
      long now = ctx.timerService().currentProcessingTime();
      for (SourcedInteraction waiting : pending.get()) {
        emit(waiting, current, now, out);
      }
      pending.clear();
      ctx.timerService().deleteProcessingTimeTimer(timer);
      pendingTimer.clear();
      pendingSince.clear();
    }
  }

  @Override
  public void processElement2(SourcedInteraction in, Context ctx, Collector<Engagement> out)
      throws Exception {
    ItemFeature item = known.value();
    if (item != null) {
      emit(in, item, ctx.timerService().currentProcessingTime(), out);
      return;
    }
    pending.add(in);
    if (pendingTimer.value() == null) {
      long now = ctx.timerService().currentProcessingTime();
      ctx.timerService().registerProcessingTimeTimer(now + graceMillis);
      pendingTimer.update(now + graceMillis);
      pendingSince.update(now);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Engagement> out)
      throws Exception {
    // No start time: the interactions began waiting under a job version that did not keep one.
    Long recordedSince = pendingSince.value();
    long since = recordedSince != null ? recordedSince : timestamp - graceMillis;
    boolean mayWaitOn = timestamp - since < maxWaitMillis;
    List<SourcedInteraction> waitOn = new ArrayList<>();
    int rejected = 0;
    for (SourcedInteraction waiting : pending.get()) {
      if (mayWaitOn && itemStreamBehind(waiting, timestamp)) {
        waitOn.add(waiting);
        continue;
      }
      String reason =
          "item "
              + waiting.interaction.itemId
              + " not in the catalogue after "
              + (timestamp - since)
              + " ms";
      deadLetters.count(ErrorKind.UNKNOWN_ID);
      ctx.output(
          DeadLetters.TAG,
          RejectedRecord.of(waiting.source, ErrorKind.UNKNOWN_ID, reason, timestamp));
      rejected++;
    }
    if (waitOn.isEmpty()) {
      pending.clear();
      pendingTimer.clear();
      pendingSince.clear();
      return;
    }
    heldForItemStream.inc(waitOn.size());
    if (rejected > 0) {
      pending.update(waitOn);
    }
    // Each check doubles the wait so far: a catch-up lasts minutes, and checking every waiting
    // item at each grace was a burst of state and timer work on the very path it waits for
    // (streaming benchmark). An arriving item releases its interactions at once either way.
    long at = Math.min(timestamp + Math.max(graceMillis, timestamp - since), since + maxWaitMillis);
    ctx.timerService().registerProcessingTimeTimer(Math.max(at, timestamp + 1));
    pendingTimer.update(Math.max(at, timestamp + 1));
  }

  /**
   * True while items still arrive here (one within the grace) and none is as new as {@code waiting}
   * in event time: its item may be on the way behind them.
   */
  private boolean itemStreamBehind(SourcedInteraction waiting, long now) {
    return now - lastItemArrival < graceMillis
        && newestItemEventTime < waiting.interaction.eventTime;
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
