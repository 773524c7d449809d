package io.quasid.job.pipeline;

/**
 * What {@link SidAssigner} keeps per item id, in one keyed value so that a record costs one state
 * read and one write (measured: the assigner's time went to RocksDB reads of four separate states).
 *
 * <p>After a delete, {@link #vector} and {@link #codes} are null while the revision counter and the
 * newest event time stay: a re-added item must continue above the revision that {@link
 * AssignmentPublisher} fenced, and a stale upsert must not undo the delete.
 */
public class ItemState {
  /** Latest features; null while the item is deleted. */
  public float[] vector;

  /** Codes the item holds now; null until its first encode and while it is deleted. */
  public ItemCodes codes;

  /** Revision of the item's last bucket change (0: none yet). */
  public long revision;

  /** Newest event time applied to the item, deletes included. */
  public long newestEventTime;

  /**
   * The model version that last moved this item under a {@code BUDGET} churn policy (0: none), so a
   * sweep that starts over after a restore counts it against the version's cap.
   */
  public long budgetedMoveVersion;

  public ItemState() {}

  boolean live() {
    return vector != null;
  }

  long nextRevision() {
    return ++revision;
  }
}
