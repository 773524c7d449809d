package io.quasid.job.training;

import io.quasid.job.types.ItemFeature;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by item id: joins one side of a collaborative pair with the item's latest features.
 *
 * <p>State: the latest {@link ItemFeature} per item (an older event never overwrites a newer one; a
 * delete clears it), in the keyed state backend rather than a heap cache, so the catalogue may
 * outgrow memory. A pair whose item has no features yet waits up to the grace time for them (the
 * item and interaction topics are read independently, and after a restart or rescale the item side
 * can lag by tens of seconds); only then does it go to {@link #REJECTED} as an {@link
 * RejectedPair#UNKNOWN_ID} dead-letter candidate. Waiting pairs and their timer are keyed state,
 * cleared when the item arrives or the timer fires.
 */
abstract class ItemFeatureJoin<IN>
    extends KeyedCoProcessFunction<String, IN, ItemFeature, TrainingExample> {

  static final OutputTag<RejectedPair> REJECTED =
      new OutputTag<>("rejected-pairs", TypeInformation.of(RejectedPair.class));

  private final TypeInformation<IN> pairSideType;
  private final long graceMillis;

  private transient ValueState<ItemFeature> features;
  private transient ListState<IN> waiting;
  private transient ValueState<Long> waitTimer;

  /**
   * @param graceMillis how long a pair waits for its item's features; 0 rejects it at once
   */
  ItemFeatureJoin(TypeInformation<IN> pairSideType, long graceMillis) {
    this.pairSideType = pairSideType;
    this.graceMillis = graceMillis;
  }

  @Override
  public void open(OpenContext openContext) {
    features =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("latest-item-features", ItemFeature.class));
    waiting =
        getRuntimeContext().getListState(new ListStateDescriptor<>("pairs-waiting", pairSideType));
    waitTimer =
        getRuntimeContext().getState(new ValueStateDescriptor<>("pairs-waiting-timer", Types.LONG));
  }

  @Override
  public void processElement1(IN pairSide, Context ctx, Collector<TrainingExample> out)
      throws Exception {
    ItemFeature feature = features.value();
    if (feature != null) {
      out.collect(join(pairSide, feature));
    } else if (graceMillis == 0) {
      ctx.output(REJECTED, unknown(pairSide));
    } else {
      waiting.add(pairSide);
      if (waitTimer.value() == null) {
        long at = ctx.timerService().currentProcessingTime() + graceMillis;
        ctx.timerService().registerProcessingTimeTimer(at);
        waitTimer.update(at);
      }
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrainingExample> out)
      throws Exception {
    for (IN pairSide : waiting.get()) {
      ctx.output(REJECTED, unknown(pairSide));
    }
    waiting.clear();
    waitTimer.clear();
  }

  @Override
  public void processElement2(ItemFeature feature, Context ctx, Collector<TrainingExample> out)
      throws Exception {
    if (feature.deleted) {
      features.clear();
      return;
    }
    ItemFeature current = features.value();
    if (current == null || current.eventTime <= feature.eventTime) {
      features.update(feature);
    }
    Long timer = waitTimer.value();
    if (timer != null) {
      ItemFeature latest = features.value();
      for (IN pairSide : waiting.get()) {
        out.collect(join(pairSide, latest));
      }
      waiting.clear();
      ctx.timerService().deleteProcessingTimeTimer(timer);
      waitTimer.clear();
    }
  }

  abstract TrainingExample join(IN pairSide, ItemFeature feature);

  abstract RejectedPair unknown(IN pairSide);
}
