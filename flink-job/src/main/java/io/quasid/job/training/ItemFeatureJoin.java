package io.quasid.job.training;

import io.quasid.job.types.ItemFeature;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by item id: joins one side of a collaborative pair with the item's latest features.
 *
 * <p>State: the latest {@link ItemFeature} per item (an older event never overwrites a newer one; a
 * delete clears it), in the keyed state backend rather than a heap cache, so the catalogue may
 * outgrow memory. A pair whose item has no features is not buffered: it goes to {@link #REJECTED}
 * as an {@link RejectedPair#UNKNOWN_ID} dead-letter candidate.
 */
abstract class ItemFeatureJoin<IN>
    extends KeyedCoProcessFunction<String, IN, ItemFeature, TrainingExample> {

  static final OutputTag<RejectedPair> REJECTED =
      new OutputTag<>("rejected-pairs", TypeInformation.of(RejectedPair.class));

  private transient ValueState<ItemFeature> features;

  @Override
  public void open(OpenContext openContext) {
    features =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("latest-item-features", ItemFeature.class));
  }

  @Override
  public void processElement1(IN pairSide, Context ctx, Collector<TrainingExample> out)
      throws Exception {
    ItemFeature feature = features.value();
    if (feature == null) {
      ctx.output(REJECTED, unknown(pairSide));
    } else {
      out.collect(join(pairSide, feature));
    }
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
  }

  abstract TrainingExample join(IN pairSide, ItemFeature feature);

  abstract RejectedPair unknown(IN pairSide);
}
