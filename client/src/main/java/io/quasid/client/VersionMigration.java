package io.quasid.client;

import java.util.Map;

/**
 * What a model version did to the SIDs, as derived from the records the table applied (see {@link
 * SidIndex} for the rule and its limits).
 *
 * @param itemsReencoded records of this version that replaced a record of an older version
 * @param itemsMoved those of them whose SID differs from their {@code previous_sid}
 * @param moves item id to its old and new SID, for every moved item (the latest move of an item)
 */
public record VersionMigration(
    long version, long itemsReencoded, long itemsMoved, Map<String, SidMove> moves) {

  public VersionMigration {
    moves = Map.copyOf(moves);
  }
}
