package io.quasid.job.types;

import java.util.Arrays;
import java.util.Objects;

/** A validated item-feature event inside the job (a Flink POJO; never Kryo). */
public class ItemFeature {
  /** Non-empty catalogue id of the item. */
  public String itemId;

  /** Finite feature vector of the configured dimension; null when {@link #deleted}. */
  public float[] vector;

  /** Product group (variants of one product), or null. */
  public String groupId;

  /** True for a delete (the item leaves the catalogue). */
  public boolean deleted;

  /** Event time of the change, epoch millis. */
  public long eventTime;

  public ItemFeature() {}

  public ItemFeature(
      String itemId, float[] vector, String groupId, boolean deleted, long eventTime) {
    this.itemId = itemId;
    this.vector = vector;
    this.groupId = groupId;
    this.deleted = deleted;
    this.eventTime = eventTime;
  }

  public static ItemFeature upsert(String itemId, float[] vector, String groupId, long eventTime) {
    return new ItemFeature(itemId, vector, groupId, false, eventTime);
  }

  public static ItemFeature delete(String itemId, long eventTime) {
    return new ItemFeature(itemId, null, null, true, eventTime);
  }

  /** The same event with no vector or group: all a consumer that checks ids needs. */
  public ItemFeature withoutFeatures() {
    return new ItemFeature(itemId, null, null, deleted, eventTime);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ItemFeature f
        && deleted == f.deleted
        && eventTime == f.eventTime
        && Objects.equals(itemId, f.itemId)
        && Arrays.equals(vector, f.vector)
        && Objects.equals(groupId, f.groupId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(itemId, groupId, deleted, eventTime) * 31 + Arrays.hashCode(vector);
  }

  @Override
  public String toString() {
    return "ItemFeature{"
        + itemId
        + (deleted ? ", deleted" : vector == null ? ", id only" : ", dim=" + vector.length)
        + "}";
  }
}
