package io.quasid.job.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * How the assigner batches, re-encodes after a new model version, decides which items move, and
 * re-publishes.
 */
public final class AssignmentOptions {

  public static final ConfigOption<Integer> ASSIGNER_BATCH_SIZE =
      ConfigOptions.key("assigner.batch-size")
          .intType()
          .defaultValue(512)
          .withDescription(
              "Most items per encode call: new and changed items are buffered up to this many"
                  + " (also flushed by assigner.flush-interval and before every checkpoint), and"
                  + " re-encoding runs in calls of this size.");
  public static final ConfigOption<Duration> ASSIGNER_FLUSH_INTERVAL =
      ConfigOptions.key("assigner.flush-interval")
          .durationType()
          .defaultValue(Duration.ofMillis(50))
          .withDescription(
              "Longest time a new or changed item waits for its encode batch (processing time).");
  public static final ConfigOption<Integer> ASSIGNER_REENCODE_SLICE =
      ConfigOptions.key("assigner.reencode-slice")
          .intType()
          .defaultValue(512)
          .withDescription(
              "Items re-encoded per step when a new model version arrives; checkpoints and new"
                  + " items pass between steps, and memory is bounded by the slice. A step emits"
                  + " up to two records per item and blocks while the bucket allocator is"
                  + " back-pressured, so larger slices hold checkpoint barriers longer.");
  public static final ConfigOption<Double> ASSIGNER_REENCODE_SHARE =
      ConfigOptions.key("assigner.reencode-share")
          .doubleType()
          .defaultValue(0.5)
          .withDescription(
              "Most of an assigner's time a re-encoding sweep may take while input waits, in"
                  + " (0, 1]: after a slice that took t, the next waits at most"
                  + " t * (1 - share) / share, so new items and checkpoint barriers keep moving"
                  + " during the sweep. The wait is only as long as the input needs (twice what it"
                  + " was busy in the previous wait; 1 ms when no record came), so a sweep over a"
                  + " quiet input runs at full speed. 1.0: slices back to back, barriers wait"
                  + " for them.");
  public static final ConfigOption<String> CHURN_POLICY =
      ConfigOptions.key("churn.policy")
          .stringType()
          .defaultValue("ALWAYS")
          .withDescription(
              "What a new model version may change: ALWAYS, KEEP_UNLESS_BETTER:<margin> (move"
                  + " only if the residual norm improves by the margin), FREEZE_LEVELS:<n> (move"
                  + " only within the same first n codes), KEEP_UNLESS_COARSE_MOVES:<n> (move"
                  + " only if one of the first n codes changes, else keep the whole old tuple:"
                  + " DACT's relaxed-to-strict reassignment), BUDGET:<items>:<margin> (at most this"
                  + " many known items move per version job-wide, best gain first, each only if"
                  + " its new codes fit better by the margin, measured in the new version's space;"
                  + " a hard cap, split over the assigner subtasks by key groups),"
                  + " BUDGET:<p>%:<margin> (the same with the cap a share of the catalogue: at"
                  + " most p percent of the known items move per version, p in (0, 100], e.g."
                  + " BUDGET:10%:0.0; each assigner subtask moves at most p percent of the known"
                  + " items its re-encoding sweep visited, rounded down), KEEP (never"
                  + " move a known item: a version"
                  + " applies to new and changed items only, and the assigners skip the"
                  + " re-encoding sweep).");
  public static final ConfigOption<String> REPUBLISH_TOKEN =
      ConfigOptions.key("republish.token")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Any new value (e.g. the date) makes the job re-send every live SID assignment and"
                  + " every deleted item's tombstone once, with its revision unchanged, after its"
                  + " first checkpoint completed: the repair after a sink"
                  + " transaction was lost (see the runbook). Safe on the compacted topic; a value"
                  + " already used does nothing.");

  private AssignmentOptions() {}
}
