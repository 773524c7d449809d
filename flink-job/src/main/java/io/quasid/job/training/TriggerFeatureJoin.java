package io.quasid.job.training;

import io.quasid.job.types.ItemFeature;

/** Keyed by trigger id: first half of the pair join; the target side is still empty. */
public class TriggerFeatureJoin extends ItemFeatureJoin<CollaborativePair> {

  /**
   * @param graceMillis how long a pair waits for the item's features before it is rejected
   */
  public TriggerFeatureJoin(long graceMillis) {
    super(
        org.apache.flink.api.common.typeinfo.TypeInformation.of(CollaborativePair.class),
        graceMillis);
  }

  @Override
  TrainingExample join(CollaborativePair pair, ItemFeature trigger) {
    return TrainingExample.pair(
        pair.triggerId, trigger.vector, trigger.groupId, pair.targetId, null, null, pair.eventTime);
  }

  @Override
  RejectedPair unknown(CollaborativePair pair) {
    return RejectedPair.unknown(pair.triggerId, pair.triggerId, pair.targetId, pair.eventTime);
  }
}
