package io.quasid.job.training;

/** The trainer's bookkeeping besides model and buffers, kept in operator state (a Flink POJO). */
public class TrainerProgress {
  /** Model step at the last publish attempt, accepted or not. */
  public long lastAttemptStep;

  /** Processing time of the last publish attempt (or of codebook initialisation), epoch millis. */
  public long lastAttemptTime;

  /** True when a version should be offered at the next record (after init or warm start). */
  public boolean publishDue;

  /**
   * True until the first record after a warm start from the assigners' own model: that record's
   * processing time stands in for the publish attempt the warm start did not need.
   */
  public boolean cadenceStartsAtFirstRecord;

  /** False once a step since the last attempt produced a non-finite loss. */
  public boolean lossesFinite = true;

  /** Batches drawn so far; distinguishes successive replay samples. */
  public long draws;

  public long replayOffered;

  /** Rows that arrived over the step budget and still owe replay-only steps. */
  public long deferredRows;

  /** Newest event time of an item example seen so far. */
  public long newestItemTime = Long.MIN_VALUE;

  /**
   * {@link #newestItemTime} when the live version went live: the items it placed are those whose
   * latest event is not newer (anchoring holds them; the rest are free). 0 after a restore of an
   * older job version, which anchors nothing until the next version.
   */
  public long liveCut = Long.MIN_VALUE;

  /** True while the next version to go live is the warm start itself (every item known). */
  public boolean warmStartPending;

  public TrainerProgress() {}
}
