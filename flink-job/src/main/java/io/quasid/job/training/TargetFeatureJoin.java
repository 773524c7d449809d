package io.quasid.job.training;

import io.quasid.job.types.ItemFeature;

/** Keyed by target id: second half of the pair join, completing the example. */
public class TargetFeatureJoin extends ItemFeatureJoin<TrainingExample> {

  /**
   * @param graceMillis how long a pair waits for the item's features before it is rejected
   */
  public TargetFeatureJoin(long graceMillis) {
    super(
        org.apache.flink.api.common.typeinfo.TypeInformation.of(TrainingExample.class),
        graceMillis);
  }

  @Override
  TrainingExample join(TrainingExample half, ItemFeature target) {
    return TrainingExample.pair(
        half.itemId,
        half.vector,
        half.groupId,
        half.targetItemId,
        target.vector,
        target.groupId,
        half.eventTime);
  }

  @Override
  RejectedPair unknown(TrainingExample half) {
    return RejectedPair.unknown(half.targetItemId, half.itemId, half.targetItemId, half.eventTime);
  }
}
