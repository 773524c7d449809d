package io.quasid.job.training;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by target item: the popular-item guard. The first {@code popular-target-threshold} pairs of
 * a target pass; the n-th pair after that passes with probability threshold/n, so a target's
 * expected share grows only logarithmically and best-sellers cannot crowd the contrastive loss.
 *
 * <p>State: one pair count per target with a processing-time TTL (refreshed on write), so the count
 * measures recent popularity and cold items leave no state. The draw is a seeded hash of (trigger,
 * target, count): the same input replays to the same decisions.
 */
public class PopularTargetSampler
    extends KeyedProcessFunction<String, TrainingExample, TrainingExample> {

  private final long threshold;
  private final long seed;
  private final StateTtlConfig ttl;

  private transient ValueState<Long> pairCount;

  public PopularTargetSampler(TrainingOptions options) {
    this.threshold = options.popularTargetThreshold();
    this.seed = options.seed();
    this.ttl =
        StateTtlConfig.newBuilder(options.popularityTtl())
            .updateTtlOnCreateAndWrite()
            .neverReturnExpired()
            .build();
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<Long> descriptor =
        new ValueStateDescriptor<>("target-pair-count", Long.class);
    descriptor.enableTimeToLive(ttl);
    pairCount = getRuntimeContext().getState(descriptor);
  }

  @Override
  public void processElement(TrainingExample pair, Context ctx, Collector<TrainingExample> out)
      throws Exception {
    Long previous = pairCount.value();
    long n = previous == null ? 1 : previous + 1;
    pairCount.update(n);
    if (n <= threshold
        || SeededDraws.uniform(
                seed, SeededDraws.idHash(pair.itemId), SeededDraws.idHash(pair.targetItemId), n)
            < (double) threshold / n) {
      out.collect(pair);
    }
  }
}
