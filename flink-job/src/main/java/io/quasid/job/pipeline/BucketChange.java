package io.quasid.job.pipeline;

import java.util.Arrays;
import java.util.Objects;

/**
 * An item entering ({@link Kind#JOIN}) or leaving ({@link Kind#LEAVE}) the SID bucket of a code
 * tuple. The assigner emits LEAVE (old codes) before JOIN (new codes) with the same revision.
 */
public class BucketChange {

  /** Direction of the change. */
  public enum Kind {
    JOIN,
    LEAVE
  }

  public Kind kind;
  public String itemId;

  /** Codes of the bucket joined or left, coarse to fine. */
  public int[] codes;

  /** Per-item revision, strictly increasing over the item's whole life (deletes included). */
  public long revision;

  public long modelVersion;

  /** Only on LEAVE: the item left the catalogue, downstream must publish a tombstone. */
  public boolean deleted;

  /** Event time of the item change or model update that caused this change. */
  public long causeEventTime;

  public BucketChange() {}

  public BucketChange(
      Kind kind,
      String itemId,
      int[] codes,
      long revision,
      long modelVersion,
      boolean deleted,
      long causeEventTime) {
    this.kind = kind;
    this.itemId = itemId;
    this.codes = codes;
    this.revision = revision;
    this.modelVersion = modelVersion;
    this.deleted = deleted;
    this.causeEventTime = causeEventTime;
  }

  public static BucketChange join(
      String itemId, int[] codes, long revision, long modelVersion, long causeEventTime) {
    return new BucketChange(
        Kind.JOIN, itemId, codes, revision, modelVersion, false, causeEventTime);
  }

  public static BucketChange leave(
      String itemId,
      int[] codes,
      long revision,
      long modelVersion,
      boolean deleted,
      long causeEventTime) {
    return new BucketChange(
        Kind.LEAVE, itemId, codes, revision, modelVersion, deleted, causeEventTime);
  }

  /** The key of the bucket: the code tuple as text, e.g. {@code 12-201-7}. */
  public String bucketKey() {
    return SidFormat.codeTuple(codes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketChange c
        && kind == c.kind
        && revision == c.revision
        && modelVersion == c.modelVersion
        && deleted == c.deleted
        && causeEventTime == c.causeEventTime
        && Objects.equals(itemId, c.itemId)
        && Arrays.equals(codes, c.codes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, itemId, revision, modelVersion, deleted, causeEventTime)
        + 31 * Arrays.hashCode(codes);
  }

  @Override
  public String toString() {
    return kind
        + "{"
        + itemId
        + " "
        + SidFormat.codeTuple(codes)
        + " r"
        + revision
        + " v"
        + modelVersion
        + (deleted ? " deleted" : "")
        + "}";
  }
}
