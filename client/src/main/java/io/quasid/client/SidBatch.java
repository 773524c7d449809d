package io.quasid.client;

import java.util.List;

/**
 * The result of applying one batch of topic records.
 *
 * @param sequence the batch's sequence number
 * @param changes the item changes in apply order (stale and duplicate records make none)
 * @param delta the net change of valid prefixes
 * @param migrations the version migrations this batch advanced, ascending by version
 * @param staleDropped records dropped because the item already had that revision or a newer one
 */
public record SidBatch(
    long sequence,
    List<SidChange> changes,
    PrefixDelta delta,
    List<MigrationProgress> migrations,
    int staleDropped) {

  public SidBatch {
    changes = List.copyOf(changes);
    migrations = List.copyOf(migrations);
  }
}
