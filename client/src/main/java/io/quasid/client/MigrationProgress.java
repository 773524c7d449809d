package io.quasid.client;

import java.util.List;

/**
 * A version migration's step within one applied batch: running totals and the moves this batch
 * added. {@link SidIndex#migration(long)} gives the whole migration.
 */
public record MigrationProgress(
    long version, long itemsReencoded, long itemsMoved, List<SidMove> newMoves) {

  public MigrationProgress {
    newMoves = List.copyOf(newMoves);
  }
}
