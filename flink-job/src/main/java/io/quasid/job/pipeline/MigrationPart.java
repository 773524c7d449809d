package io.quasid.job.pipeline;

/**
 * One assigner subtask's report on the re-encoding of a model version, for {@link
 * MigrationSummarizer}. Counts are those since the subtask's previous report, sent before every
 * checkpoint barrier and when its sweep ends, so a report is in the same checkpoint as the changes
 * it counts: after a failure the counts of lost work are lost with it and counted again when the
 * work is redone.
 */
public class MigrationPart {

  /** Whether this report ends the subtask's part of the version, and how. */
  public enum Kind {
    /** Counts so far; the sweep goes on. */
    PROGRESS,
    /** The subtask's key groups are all re-encoded. */
    SWEPT,
    /** A newer version went live before the sweep ended. */
    SUPERSEDED,
    /** The churn policy keeps every known item: there is no sweep. */
    NOT_SWEPT
  }

  public long modelVersion;
  public Kind kind;

  /** The subtask's key groups, inclusive, out of {@link #maxParallelism}. */
  public int firstKeyGroup;

  public int lastKeyGroup;
  public int maxParallelism;
  public long reEncoded;
  public long moved;
  public long keptByPolicy;
  public String churnPolicy;
  public long wentLiveAt;

  /**
   * Under {@code BUDGET}, in the report that ends the subtask's sweep: the most items its ranking
   * could move (its cap); 0 in other reports and under other policies.
   */
  public long moveCap;

  public MigrationPart() {}

  public MigrationPart(
      long modelVersion,
      Kind kind,
      int firstKeyGroup,
      int lastKeyGroup,
      int maxParallelism,
      long reEncoded,
      long moved,
      long keptByPolicy,
      String churnPolicy,
      long wentLiveAt,
      long moveCap) {
    this.modelVersion = modelVersion;
    this.kind = kind;
    this.firstKeyGroup = firstKeyGroup;
    this.lastKeyGroup = lastKeyGroup;
    this.maxParallelism = maxParallelism;
    this.reEncoded = reEncoded;
    this.moved = moved;
    this.keptByPolicy = keptByPolicy;
    this.churnPolicy = churnPolicy;
    this.wentLiveAt = wentLiveAt;
    this.moveCap = moveCap;
  }

  @Override
  public String toString() {
    return "MigrationPart{v"
        + modelVersion
        + " "
        + kind
        + " key groups "
        + firstKeyGroup
        + "-"
        + lastKeyGroup
        + "/"
        + maxParallelism
        + ", re-encoded "
        + reEncoded
        + ", moved "
        + moved
        + ", kept "
        + keptByPolicy
        + "}";
  }
}
