package io.quasid.bench.streaming;

import io.quasid.job.pipeline.SidUpdate;
import io.quasid.job.types.ItemFeature;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * The pass-through baseline's only step after the shuffle: an SID-sized output record (no codes,
 * suffix 0) stamped with the item's event time, written by the job's own SID serializer, so the
 * baseline pays for decoding, one keyed shuffle and the exactly-once sink and nothing else.
 */
public class PassThroughSid implements MapFunction<ItemFeature, SidUpdate> {

  private static final int[] NO_CODES = new int[0];

  @Override
  public SidUpdate map(ItemFeature item) {
    SidUpdate u = new SidUpdate();
    u.itemId = item.itemId;
    u.tombstone = false;
    u.codes = NO_CODES;
    u.suffix = 0;
    u.sid = "pass/0";
    u.modelVersion = 0;
    u.revision = 1;
    u.causeEventTime = item.eventTime;
    u.assignedTime = System.currentTimeMillis();
    return u;
  }
}
