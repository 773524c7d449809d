package io.quasid.client;

/**
 * A change of one item in the table.
 *
 * @param before the item's record before the change; null for {@link Kind#ASSIGNED}
 * @param after the item's record after it; null for {@link Kind#REMOVED}
 */
public record SidChange(Kind kind, String itemId, SidRecord before, SidRecord after) {

  public enum Kind {
    /** The item had no SID in the table and has one now. */
    ASSIGNED,
    /** The item's SID string changed. */
    MOVED,
    /** A newer record with the same SID string (a newer model version that kept the SID). */
    UPDATED,
    /** A tombstone removed the item. */
    REMOVED
  }
}
