package io.quasid.job.pipeline;

import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.ModelUpdate;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The model-update stream of a job without a trainer: never emits. It hangs off the item stream
 * (chained, no cost) rather than being an empty bounded source, which Flink 2.2's {@code fromData}
 * does not support, so the assigner keeps one topology with or without training.
 */
public final class NoModelUpdates implements FlatMapFunction<ItemFeature, ModelUpdate> {
  @Override
  public void flatMap(ItemFeature item, Collector<ModelUpdate> out) {}
}
