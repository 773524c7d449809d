package io.quasid.job.training;

import io.quasid.job.types.ItemFeature;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * New or changed item features become single-item examples; a delete becomes a deletion, so the
 * trainer stops sampling and measuring an item that left the catalogue.
 */
public class ItemToExample implements FlatMapFunction<ItemFeature, TrainingExample> {

  @Override
  public void flatMap(ItemFeature feature, Collector<TrainingExample> out) {
    out.collect(
        feature.deleted
            ? TrainingExample.deletion(feature.itemId, feature.eventTime)
            : TrainingExample.item(
                feature.itemId, feature.vector, feature.groupId, feature.eventTime));
  }
}
