package io.quasid.job.pipeline;

import io.quasid.job.training.RejectedPair;
import io.quasid.schemas.ErrorKind;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A training pair whose item had no features when it was joined (deleted meanwhile) as a dead
 * letter. The pair is derived from several interactions, so it has no single source offset (-1).
 */
public final class RejectedPairDeadLetter implements MapFunction<RejectedPair, RejectedRecord> {

  private final String interactionsTopic;

  public RejectedPairDeadLetter(String interactionsTopic) {
    this.interactionsTopic = interactionsTopic;
  }

  @Override
  public RejectedRecord map(RejectedPair pair) {
    RejectedRecord r = new RejectedRecord();
    r.sourceTopic = interactionsTopic;
    r.sourcePartition = -1;
    r.sourceOffset = -1;
    r.rawKey = pair.itemId.getBytes(StandardCharsets.UTF_8);
    r.kind = RejectedPair.UNKNOWN_ID.equals(pair.reason) ? ErrorKind.UNKNOWN_ID : ErrorKind.INVALID;
    r.reason = pair.toString();
    r.time = pair.eventTime;
    return r;
  }
}
