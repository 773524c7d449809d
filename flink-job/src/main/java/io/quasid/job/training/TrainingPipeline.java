package io.quasid.job.training;

import io.quasid.job.types.Engagement;
import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.ModelUpdate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The continuous fine-tuning branch of the job, behind one entry point:
 *
 * <pre>
 * engagements (with features) -keyBy(user)-> co-engagement pairs -keyBy(target)-> popular-target
 *   guard ------------------------------------------------------------------+
 * items ---------------------------------------------> item examples -------+-> trainer (p=1)
 *                                                                                |
 *                                                                       ModelUpdate versions
 * </pre>
 *
 * The engagements come from the job's known-item gate with each item's features, so pairs are
 * complete examples from the start. Every operator has a stable uid for savepoint compatibility.
 */
public final class TrainingPipeline {
  private TrainingPipeline() {}

  /**
   * @param engagements interactions whose item is known, each with the item's features
   */
  public static DataStream<ModelUpdate> attach(
      DataStream<ItemFeature> items, DataStream<Engagement> engagements, TrainingOptions options) {
    options.validate();

    DataStream<TrainingExample> pairExamples =
        engagements
            .keyBy(e -> e.interaction.userId, Types.STRING)
            .process(new CoEngagementPairGenerator(options))
            .uid("quasid-training-pair-generator-v2")
            .name("Co-engagement pairs")
            .keyBy(p -> p.targetItemId, Types.STRING)
            .process(new PopularTargetSampler(options))
            .uid("quasid-training-popular-target-sampler-v2")
            .name("Popular-target guard");

    DataStream<TrainingExample> itemExamples =
        items
            .flatMap(new ItemToExample())
            .uid("quasid-training-item-examples")
            .name("Item examples");

    return itemExamples
        .union(pairExamples)
        // One key: the trainer is a single model, and keyed context gives it timers.
        .keyBy(e -> TokenizerTrainer.KEY, Types.BYTE)
        .process(new TokenizerTrainer(options))
        .uid("quasid-training-trainer")
        .name("Tokenizer trainer")
        .setParallelism(1)
        .setMaxParallelism(1)
        .slotSharingGroup(options.slotSharingGroup());
  }
}
