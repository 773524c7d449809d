package io.quasid.client;

import io.quasid.schemas.MigrationOutcome;
import io.quasid.schemas.MigrationSummary;
import java.time.Instant;

/**
 * A model version's migration as the job published it on the migrations topic (Avro {@code
 * MigrationSummary}): counted by the assigners, once per version, exactly once. Unlike {@link
 * VersionMigration}, derived from the SID records, it includes the items the churn policy kept and
 * survives compaction of the SID topic; the old and new SID of each moved item are on the SID
 * topic.
 *
 * @param itemsMoveCap under a {@code BUDGET} churn policy, the most items the version was allowed
 *     to move (the sum of the assigners' caps); null under the other policies and from jobs that
 *     predate the field
 */
public record PublishedMigration(
    long version,
    MigrationOutcome outcome,
    long itemsReEncoded,
    long itemsMoved,
    long itemsKeptByChurnPolicy,
    String churnPolicy,
    Instant wentLiveAt,
    Instant summarisedAt,
    Long itemsMoveCap) {

  static PublishedMigration fromAvro(MigrationSummary s) {
    return new PublishedMigration(
        s.getModelVersion(),
        s.getOutcome(),
        s.getItemsReEncoded(),
        s.getItemsMoved(),
        s.getItemsKeptByChurnPolicy(),
        s.getChurnPolicy(),
        s.getWentLiveAt(),
        s.getSummarisedAt(),
        s.getItemsMoveCap());
  }
}
