package io.quasid.job.pipeline;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a bucket decided for one item: its codes and dedup suffix, or (when {@link #tombstone}) that
 * the item left the catalogue.
 */
public class BucketAssignment {
  public String itemId;

  /** Codes of the bucket; for a tombstone, the bucket the item left. */
  public int[] codes;

  /** Dedup suffix inside the bucket; -1 for a tombstone. */
  public int suffix;

  public long revision;
  public long modelVersion;
  public boolean tombstone;
  public long causeEventTime;

  public BucketAssignment() {}

  public BucketAssignment(
      String itemId,
      int[] codes,
      int suffix,
      long revision,
      long modelVersion,
      boolean tombstone,
      long causeEventTime) {
    this.itemId = itemId;
    this.codes = codes;
    this.suffix = suffix;
    this.revision = revision;
    this.modelVersion = modelVersion;
    this.tombstone = tombstone;
    this.causeEventTime = causeEventTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketAssignment a
        && suffix == a.suffix
        && revision == a.revision
        && modelVersion == a.modelVersion
        && tombstone == a.tombstone
        && causeEventTime == a.causeEventTime
        && Objects.equals(itemId, a.itemId)
        && Arrays.equals(codes, a.codes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(itemId, suffix, revision, modelVersion, tombstone, causeEventTime)
        + 31 * Arrays.hashCode(codes);
  }

  @Override
  public String toString() {
    return tombstone
        ? "Tombstone{" + itemId + " r" + revision + "}"
        : "Assigned{" + itemId + " " + SidFormat.sid(codes, suffix) + " r" + revision + "}";
  }
}
