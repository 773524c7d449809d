package io.quasid.job.pipeline;

import io.quasid.schemas.MigrationOutcome;

/** A model version's migration over all assigner subtasks: what the migrations topic carries. */
public class MigrationTotals {
  public long modelVersion;
  public MigrationOutcome outcome;
  public long reEncoded;
  public long moved;
  public long keptByPolicy;
  public String churnPolicy;
  public long wentLiveAt;
  public long summarisedAt;

  public MigrationTotals() {}

  MigrationTotals(MigrationPart first) {
    modelVersion = first.modelVersion;
    churnPolicy = first.churnPolicy;
    wentLiveAt = first.wentLiveAt;
  }

  void add(MigrationPart part) {
    reEncoded += part.reEncoded;
    moved += part.moved;
    keptByPolicy += part.keptByPolicy;
  }

  @Override
  public String toString() {
    return "v"
        + modelVersion
        + " "
        + outcome
        + ": "
        + reEncoded
        + " re-encoded, "
        + moved
        + " moved, "
        + keptByPolicy
        + " kept by "
        + churnPolicy;
  }
}
