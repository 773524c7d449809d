package io.quasid.job.training;

import io.quasid.job.types.Interaction;
import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.ModelUpdate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The continuous fine-tuning branch of the job, behind one entry point:
 *
 * <pre>
 * interactions -keyBy(user)-> co-engagement pairs -keyBy(target)-> popular-target guard
 *   -keyBy(trigger)-> join trigger features -keyBy(target)-> join target features --+
 * items ----------------------------------------> item examples -------------------+-> trainer (p=1)
 *                                                                                       |
 *                                                                              ModelUpdate versions
 * </pre>
 *
 * The item stream also feeds both feature joins (their keyed state). Every operator has a stable
 * uid for savepoint compatibility.
 */
public final class TrainingPipeline {
  private TrainingPipeline() {}

  public static TrainingStreams attach(
      DataStream<ItemFeature> items,
      DataStream<Interaction> interactions,
      TrainingOptions options) {
    options.validate();

    DataStream<CollaborativePair> pairs =
        interactions
            .keyBy(i -> i.userId, Types.STRING)
            .process(new CoEngagementPairGenerator(options))
            .uid("quasid-training-pair-generator")
            .name("Co-engagement pairs");

    DataStream<CollaborativePair> sampledPairs =
        pairs
            .keyBy(p -> p.targetId, Types.STRING)
            .process(new PopularTargetSampler(options))
            .uid("quasid-training-popular-target-sampler")
            .name("Popular-target guard");

    SingleOutputStreamOperator<TrainingExample> halfJoined =
        sampledPairs
            .keyBy(p -> p.triggerId, Types.STRING)
            .connect(items.keyBy(f -> f.itemId, Types.STRING))
            .process(new TriggerFeatureJoin(options.pairFeatureGrace().toMillis()))
            .uid("quasid-training-join-trigger")
            .name("Join trigger features");

    SingleOutputStreamOperator<TrainingExample> pairExamples =
        halfJoined
            .keyBy(e -> e.targetItemId, Types.STRING)
            .connect(items.keyBy(f -> f.itemId, Types.STRING))
            .process(new TargetFeatureJoin(options.pairFeatureGrace().toMillis()))
            .uid("quasid-training-join-target")
            .name("Join target features");

    DataStream<TrainingExample> itemExamples =
        items
            .flatMap(new ItemToExample())
            .uid("quasid-training-item-examples")
            .name("Item examples");

    SingleOutputStreamOperator<ModelUpdate> updates =
        itemExamples
            .union(pairExamples)
            // One key: the trainer is a single model, and keyed context gives it timers.
            .keyBy(e -> TokenizerTrainer.KEY, Types.BYTE)
            .process(new TokenizerTrainer(options))
            .uid("quasid-training-trainer")
            .name("Tokenizer trainer")
            .setParallelism(1)
            .setMaxParallelism(1)
            .slotSharingGroup(options.slotSharingGroup());

    DataStream<RejectedPair> rejected =
        halfJoined
            .getSideOutput(ItemFeatureJoin.REJECTED)
            .union(pairExamples.getSideOutput(ItemFeatureJoin.REJECTED));
    return new TrainingStreams(updates, rejected);
  }
}
