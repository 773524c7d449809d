package io.quasid.job.training;

import java.util.Objects;

/**
 * A collaborative pair dropped before training, with why: a dead-letter candidate for the job's
 * dead-letter sink.
 */
public class RejectedPair {
  /** The item has no features in state (never seen, or deleted). */
  public static final String UNKNOWN_ID = "UNKNOWN_ID";

  public String reason;

  /** The item whose lookup failed. */
  public String itemId;

  public String triggerId;
  public String targetId;
  public long eventTime;

  public RejectedPair() {}

  public RejectedPair(
      String reason, String itemId, String triggerId, String targetId, long eventTime) {
    this.reason = reason;
    this.itemId = itemId;
    this.triggerId = triggerId;
    this.targetId = targetId;
    this.eventTime = eventTime;
  }

  static RejectedPair unknown(String itemId, String triggerId, String targetId, long eventTime) {
    return new RejectedPair(UNKNOWN_ID, itemId, triggerId, targetId, eventTime);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RejectedPair r
        && eventTime == r.eventTime
        && Objects.equals(reason, r.reason)
        && Objects.equals(itemId, r.itemId)
        && Objects.equals(triggerId, r.triggerId)
        && Objects.equals(targetId, r.targetId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, itemId, triggerId, targetId, eventTime);
  }

  @Override
  public String toString() {
    return "RejectedPair{" + reason + " " + itemId + " in " + triggerId + " -> " + targetId + "}";
  }
}
