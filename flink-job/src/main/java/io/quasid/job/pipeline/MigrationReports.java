package io.quasid.job.pipeline;

import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A sweep's counts (re-encoded, moved, kept by the churn policy), sent to the {@link
 * SidAssigner#MIGRATIONS} side output before every checkpoint barrier and when the sweep ends, is
 * superseded by a newer version, or is skipped under {@code KEEP}, with this subtask's key-group
 * range; {@link MigrationSummarizer} turns them into one summary per version. A report travels in
 * the same checkpoint as the changes it counts, so a restore neither loses nor repeats counts.
 */
final class MigrationReports {
  private final Output<StreamRecord<BucketChange>> output;
  private final KeyGroupRange keyGroups;
  private final int maxParallelism;
  private final ChurnPolicy churnPolicy;

  /** What the sweep did since this subtask's last {@link MigrationPart}. */
  private SweepTotals unreported = new SweepTotals();

  private long wentLiveAt;

  MigrationReports(
      Output<StreamRecord<BucketChange>> output,
      KeyGroupRange keyGroups,
      int maxParallelism,
      ChurnPolicy churnPolicy) {
    this.output = output;
    this.keyGroups = keyGroups;
    this.maxParallelism = maxParallelism;
    this.churnPolicy = churnPolicy;
  }

  /** When the version of the next reports was published. */
  void wentLiveAt(long publishedAt) {
    wentLiveAt = publishedAt;
  }

  void count(long encoded, long changed, long kept) {
    unreported.add(encoded, changed, kept);
  }

  boolean encodedSinceLastReport() {
    return unreported.encoded > 0;
  }

  /** Sends what the sweep of {@code version} did since the last report, and resets the counts. */
  void report(long version, MigrationPart.Kind kind) {
    report(version, kind, 0);
  }

  /**
   * As {@link #report(long, MigrationPart.Kind)}, with the cap that the subtask's {@code BUDGET}
   * ranking applied.
   */
  void report(long version, MigrationPart.Kind kind, long moveCap) {
    output.collect(
        SidAssigner.MIGRATIONS,
        new StreamRecord<>(
            new MigrationPart(
                version,
                kind,
                keyGroups.getStartKeyGroup(),
                keyGroups.getEndKeyGroup(),
                maxParallelism,
                unreported.encoded,
                unreported.changed,
                unreported.kept,
                churnPolicy.toString(),
                wentLiveAt,
                moveCap)));
    unreported = new SweepTotals();
  }
}
