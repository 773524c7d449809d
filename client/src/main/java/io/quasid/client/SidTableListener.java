package io.quasid.client;

/**
 * Callbacks of a {@link SidTable}. They run on the table's poll thread after each applied batch,
 * once the batch is visible to readers, in this order: {@link #onBatch}, then per change {@link
 * #onAssigned}, {@link #onMoved} or {@link #onRemoved} (an {@link SidChange.Kind#UPDATED} change is
 * only in the batch), then {@link #onMigration} per version the batch advanced, then {@link
 * #onPrefixDelta} when the valid prefixes changed. A slow listener delays the table; an exception
 * is logged and does not stop it, an {@link Error} stops the table ({@link SidTable#awaitCaughtUp}
 * then throws with it as the cause).
 */
public interface SidTableListener {

  /** Everything one batch did. */
  default void onBatch(SidBatch batch) {}

  /** An item got its first SID (or its first after a tombstone). */
  default void onAssigned(SidRecord assigned) {}

  /** An item's SID string changed. */
  default void onMoved(SidRecord from, SidRecord to) {}

  /** A tombstone removed an item. */
  default void onRemoved(SidRecord removed) {}

  /** A model version re-encoded (and maybe moved) items in this batch. */
  default void onMigration(MigrationProgress progress) {}

  /** The valid prefixes changed; apply it to a decoding trie. */
  default void onPrefixDelta(PrefixDelta delta) {}
}
