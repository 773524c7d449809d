package io.quasid.job.training;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the trainer learns from: a single item (its vector and group), or a collaborative pair (two
 * of each). A pair's target fields are null for a single item; a pair whose target is not joined
 * yet has a null {@link #targetVector}. A deletion carries only the item id: the trainer drops the
 * item from its catalogue and gate samples.
 */
public class TrainingExample {
  public String itemId;
  public float[] vector;

  /** Product group, or null. */
  public String groupId;

  public String targetItemId;
  public float[] targetVector;
  public String targetGroupId;
  public long eventTime;
  public boolean deleted;

  public TrainingExample() {}

  public static TrainingExample deletion(String itemId, long time) {
    TrainingExample e = new TrainingExample();
    e.itemId = itemId;
    e.eventTime = time;
    e.deleted = true;
    return e;
  }

  public static TrainingExample item(String itemId, float[] vector, String groupId, long time) {
    TrainingExample e = new TrainingExample();
    e.itemId = itemId;
    e.vector = vector;
    e.groupId = groupId;
    e.eventTime = time;
    return e;
  }

  public static TrainingExample pair(
      String triggerId,
      float[] triggerVector,
      String triggerGroup,
      String targetId,
      float[] targetVector,
      String targetGroup,
      long time) {
    TrainingExample e = item(triggerId, triggerVector, triggerGroup, time);
    e.targetItemId = targetId;
    e.targetVector = targetVector;
    e.targetGroupId = targetGroup;
    return e;
  }

  public boolean isPair() {
    return targetItemId != null;
  }

  /** Rows this example takes in a training batch. */
  public int rows() {
    return isPair() ? 2 : 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingExample e
        && eventTime == e.eventTime
        && deleted == e.deleted
        && Objects.equals(itemId, e.itemId)
        && Arrays.equals(vector, e.vector)
        && Objects.equals(groupId, e.groupId)
        && Objects.equals(targetItemId, e.targetItemId)
        && Arrays.equals(targetVector, e.targetVector)
        && Objects.equals(targetGroupId, e.targetGroupId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(itemId, groupId, targetItemId, targetGroupId, eventTime, deleted)
        + 31 * Arrays.hashCode(vector)
        + 17 * Arrays.hashCode(targetVector);
  }

  @Override
  public String toString() {
    if (deleted) {
      return "Example{deleted " + itemId + "}";
    }
    return isPair() ? "Example{" + itemId + " -> " + targetItemId + "}" : "Example{" + itemId + "}";
  }
}
