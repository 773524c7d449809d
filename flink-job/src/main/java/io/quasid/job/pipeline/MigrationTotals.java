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

  /** Under {@code BUDGET}: the sum of the subtasks' caps; -1 under the other policies. */
  public long moveCap = -1;

  public MigrationTotals() {}

  MigrationTotals(MigrationPart first) {
    modelVersion = first.modelVersion;
    churnPolicy = first.churnPolicy;
    wentLiveAt = first.wentLiveAt;
    moveCap = first.churnPolicy.startsWith(ChurnPolicy.Mode.BUDGET.name()) ? 0 : -1;
  }

  void add(MigrationPart part) {
    reEncoded += part.reEncoded;
    moved += part.moved;
    keptByPolicy += part.keptByPolicy;
    if (moveCap >= 0) {
      moveCap += part.moveCap;
    }
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
        + churnPolicy
        + (moveCap >= 0 ? " (cap " + moveCap + ")" : "");
  }
}
