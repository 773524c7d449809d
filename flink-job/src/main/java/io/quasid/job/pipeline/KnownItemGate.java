package io.quasid.job.pipeline;

import io.quasid.job.training.EngagementAdmission;
import io.quasid.job.types.Engagement;
import io.quasid.job.types.ItemFeature;
import io.quasid.schemas.ErrorKind;
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
 * grace period (processing time) for the item; after that it is dead-lettered as UNKNOWN_ID.
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
 * their timer. Waiting interactions are bounded by the grace period, so nothing leaks.
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

  private final long graceMillis;
  private final EngagementAdmission training;

  private transient ValueState<ItemFeature> known;
  private transient ListState<SourcedInteraction> pending;
  private transient ValueState<Long> pendingTimer;
  private transient DeadLetters deadLetters;
  private transient Counter passed;
  private transient Counter notAdmitted;
  private transient Counter withoutFeatures;

  /**
   * @param graceMillis how long an interaction waits for its item before it is dead-lettered
   * @param training admission of engagements into training, or null when the job does not train
   *     (then the gate keeps no features and its output is not consumed)
   */
  public KnownItemGate(long graceMillis, EngagementAdmission training) {
    this.graceMillis = graceMillis;
    this.training = training;
  }

  @Override
  public void open(OpenContext openContext) {
    known = getRuntimeContext().getState(KNOWN);
    pending = getRuntimeContext().getListState(PENDING);
    pendingTimer = getRuntimeContext().getState(PENDING_TIMER);
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
      long at = ctx.timerService().currentProcessingTime() + graceMillis;
      ctx.timerService().registerProcessingTimeTimer(at);
      pendingTimer.update(at);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Engagement> out)
      throws Exception {
    for (SourcedInteraction waiting : pending.get()) {
      String reason =
          "item "
              + waiting.interaction.itemId
              + " not in the catalogue after "
              + graceMillis
              + " ms";
      deadLetters.count(ErrorKind.UNKNOWN_ID);
      ctx.output(
          DeadLetters.TAG,
          RejectedRecord.of(waiting.source, ErrorKind.UNKNOWN_ID, reason, timestamp));
    }
    pending.clear();
    pendingTimer.clear();
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
