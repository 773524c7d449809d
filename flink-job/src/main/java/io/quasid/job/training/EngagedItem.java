package io.quasid.job.training;

/**
 * One entry of a user's recent history, as kept in keyed state. Only the entries a new engagement
 * can pair with (the pair window) keep the item's features; older ones keep the id alone, which is
 * all the history's distinct-item rule needs.
 */
public class EngagedItem {
  public String itemId;
  public long eventTime;

  /** The item's features when it was engaged, or null once the entry left the pair window. */
  public float[] vector;

  public String groupId;

  public EngagedItem() {}

  public EngagedItem(String itemId, long eventTime, float[] vector, String groupId) {
    this.itemId = itemId;
    this.eventTime = eventTime;
    this.vector = vector;
    this.groupId = groupId;
  }

  @Override
  public String toString() {
    return itemId + "@" + eventTime;
  }
}
