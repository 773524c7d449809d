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

  /**
   * The item's text, set by the decoder when the vector is to come from it and cleared by the
   * embedding stage, which sets {@link #vector}: downstream of that stage it is always null.
   */
  public String text;

  /**
   * Where a text event's record was read, kept as far as the embedding stage so a text the encoder
   * fails on can be dead-lettered with its position; null on every other event.
   */
  public SourcePosition source;

  /**
   * Why the embedding stage could not embed this event's text, or null. Async I/O has no side
   * output, so a rejected event travels one hop further, to the operator that dead-letters it: no
   * rejected event goes past that.
   */
  public String rejection;

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

  /**
   * An upsert whose vector the embedding stage computes from {@code text}, read at {@code source}.
   */
  public static ItemFeature text(
      String itemId, String text, String groupId, long eventTime, SourcePosition source) {
    ItemFeature f = new ItemFeature(itemId, null, groupId, false, eventTime);
    f.text = text;
    f.source = Objects.requireNonNull(source, "source");
    return f;
  }

  /** This text event with its embedding as the vector. */
  public ItemFeature embedded(float[] embedding) {
    return new ItemFeature(itemId, embedding, groupId, false, eventTime);
  }

  /** This text event refused by the embedding stage for {@code reason}, its text dropped. */
  public ItemFeature rejected(String reason) {
    ItemFeature f = new ItemFeature(itemId, null, groupId, false, eventTime);
    f.source = source;
    f.rejection = reason;
    return f;
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
        && Objects.equals(groupId, f.groupId)
        && Objects.equals(text, f.text)
        && Objects.equals(source, f.source)
        && Objects.equals(rejection, f.rejection);
  }

  @Override
  public int hashCode() {
    return Objects.hash(itemId, groupId, deleted, eventTime, text, source, rejection) * 31
        + Arrays.hashCode(vector);
  }

  @Override
  public String toString() {
    return "ItemFeature{"
        + itemId
        + (deleted
            ? ", deleted"
            : rejection != null
                ? ", rejected: " + rejection
                : text != null ? ", text" : vector == null ? ", id only" : ", dim=" + vector.length)
        + "}";
  }
}
