package io.quasid.job.training;

import java.util.Objects;

/** Two items co-engaged by one user: the earlier one (trigger) and the new one (target). */
public class CollaborativePair {
  public String triggerId;
  public String targetId;

  /** Event time of the interaction that formed the pair, epoch millis. */
  public long eventTime;

  public CollaborativePair() {}

  public CollaborativePair(String triggerId, String targetId, long eventTime) {
    this.triggerId = triggerId;
    this.targetId = targetId;
    this.eventTime = eventTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollaborativePair p
        && eventTime == p.eventTime
        && Objects.equals(triggerId, p.triggerId)
        && Objects.equals(targetId, p.targetId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(triggerId, targetId, eventTime);
  }

  @Override
  public String toString() {
    return "Pair{" + triggerId + " -> " + targetId + " @" + eventTime + "}";
  }
}
