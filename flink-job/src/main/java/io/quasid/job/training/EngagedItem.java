package io.quasid.job.training;

/** One entry of a user's recent history, as kept in keyed state. */
public class EngagedItem {
  public String itemId;
  public long eventTime;

  public EngagedItem() {}

  public EngagedItem(String itemId, long eventTime) {
    this.itemId = itemId;
    this.eventTime = eventTime;
  }

  @Override
  public String toString() {
    return itemId + "@" + eventTime;
  }
}
