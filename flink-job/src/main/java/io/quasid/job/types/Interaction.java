package io.quasid.job.types;

import java.util.Objects;

/** A validated user-item interaction inside the job (a Flink POJO). */
public class Interaction {
  public String userId;
  public String itemId;

  /** Free-form action name from the producer, e.g. "view", "purchase". */
  public String action;

  public float weight;
  public long eventTime;

  public Interaction() {}

  public Interaction(String userId, String itemId, String action, float weight, long eventTime) {
    this.userId = userId;
    this.itemId = itemId;
    this.action = action;
    this.weight = weight;
    this.eventTime = eventTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Interaction i
        && weight == i.weight
        && eventTime == i.eventTime
        && Objects.equals(userId, i.userId)
        && Objects.equals(itemId, i.itemId)
        && Objects.equals(action, i.action);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, itemId, action, weight, eventTime);
  }

  @Override
  public String toString() {
    return "Interaction{" + userId + " -> " + itemId + ", " + action + "}";
  }
}
