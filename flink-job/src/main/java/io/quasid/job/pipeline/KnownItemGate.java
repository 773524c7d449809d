package io.quasid.job.pipeline;

import io.quasid.job.types.Interaction;
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
 * <p>State per item: a known flag (cleared on delete) and the waiting interactions with their
 * timer. Waiting interactions are bounded by the grace period, so nothing leaks.
 */
public class KnownItemGate
    extends KeyedCoProcessFunction<String, ItemFeature, SourcedInteraction, Interaction> {

  public static final ValueStateDescriptor<Boolean> KNOWN =
      new ValueStateDescriptor<>("known-item", Types.BOOLEAN);
  public static final ListStateDescriptor<SourcedInteraction> PENDING =
      new ListStateDescriptor<>(
          "pending-interactions", TypeInformation.of(SourcedInteraction.class));
  public static final ValueStateDescriptor<Long> PENDING_TIMER =
      new ValueStateDescriptor<>("pending-timer", Types.LONG);

  private final long graceMillis;

  private transient ValueState<Boolean> known;
  private transient ListState<SourcedInteraction> pending;
  private transient ValueState<Long> pendingTimer;
  private transient DeadLetters deadLetters;
  private transient Counter passed;

  public KnownItemGate(long graceMillis) {
    this.graceMillis = graceMillis;
  }

  @Override
  public void open(OpenContext openContext) {
    known = getRuntimeContext().getState(KNOWN);
    pending = getRuntimeContext().getListState(PENDING);
    pendingTimer = getRuntimeContext().getState(PENDING_TIMER);
    deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
    passed = getRuntimeContext().getMetricGroup().counter("interactionsForKnownItems");
  }

  @Override
  public void processElement1(ItemFeature item, Context ctx, Collector<Interaction> out)
      throws Exception {
    if (item.deleted) {
      known.clear();
      return;
    }
    known.update(true);
    Long timer = pendingTimer.value();
    if (timer != null) {
      for (SourcedInteraction waiting : pending.get()) {
        emit(waiting, out);
      }
      pending.clear();
      ctx.timerService().deleteProcessingTimeTimer(timer);
      pendingTimer.clear();
    }
  }

  @Override
  public void processElement2(SourcedInteraction in, Context ctx, Collector<Interaction> out)
      throws Exception {
    if (Boolean.TRUE.equals(known.value())) {
      emit(in, out);
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
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Interaction> out)
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

  private void emit(SourcedInteraction in, Collector<Interaction> out) {
    passed.inc();
    out.collect(in.interaction);
  }
}
