package io.quasid.job.training;

import io.quasid.job.types.ItemFeature;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** New or changed item features become single-item examples; deletes teach nothing. */
public class ItemToExample implements FlatMapFunction<ItemFeature, TrainingExample> {

  @Override
  public void flatMap(ItemFeature feature, Collector<TrainingExample> out) {
    if (!feature.deleted) {
      out.collect(
          TrainingExample.item(feature.itemId, feature.vector, feature.groupId, feature.eventTime));
    }
  }
}
