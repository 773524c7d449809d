package io.quasid.job.training;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * When a trained version is published: its cadence, the quality gate's tolerances, and what churn
 * it may cause.
 */
public final class PublishOptions {

  public static final ConfigOption<Integer> PUBLISH_EVERY_STEPS =
      ConfigOptions.key("training.publish-every-steps")
          .intType()
          .defaultValue(200)
          .withDescription("Try to publish a version after this many steps (0 = never by steps).");
  public static final ConfigOption<Duration> PUBLISH_INTERVAL =
      ConfigOptions.key("training.publish-interval")
          .durationType()
          .defaultValue(Duration.ofMinutes(5))
          .withDescription(
              "Try to publish when this much processing time passed since the last attempt and "
                  + "steps were made since, checked with each record (0 = never by time).");
  public static final ConfigOption<Double> COLLISION_TOLERANCE =
      ConfigOptions.key("training.collision-tolerance")
          .doubleType()
          .defaultValue(0.0)
          .withDescription(
              "A candidate's held-out collision rate may exceed the live version's by at most "
                  + "this much; a negative value demands an improvement. The held-out set is a "
                  + "small sample and collisions grow with catalogue size, so keep this small: "
                  + "0.01 on 600 held-out items let a version with 10x the live catalogue "
                  + "collision rate through in the Beauty demo.");
  public static final ConfigOption<Double> COHERENCE_TOLERANCE =
      ConfigOptions.key("training.coherence-tolerance")
          .doubleType()
          .defaultValue(0.02)
          .withDescription(
              "Quality gate: a candidate's co-engagement coherence (share of co-engaged pairs,"
                  + " from the replay buffer, whose SIDs share their first two codes) may be at"
                  + " most this much below the live version's.");
  public static final ConfigOption<Double> CHURN_BUDGET =
      ConfigOptions.key("training.churn-budget")
          .doubleType()
          .defaultValue(1.0)
          .withDescription(
              "Quality gate: at most this share of the gate sample may change its code tuple in"
                  + " one version (1.0, the default: no limit). Every change invalidates downstream"
                  + " caches and token tables. Measured: fine-tuning at the default learning rates"
                  + " moves 57-100% of items per version, and a rejected candidate only drifts"
                  + " further from the live version, so a budget below that publishes nothing"
                  + " (see TRAINING.md); pair it with churn.policy instead.");
  public static final ConfigOption<Integer> GATE_PAIRS =
      ConfigOptions.key("training.gate-pairs")
          .intType()
          .defaultValue(2000)
          .withDescription(
              "Most co-engaged pairs (from the replay buffer) the quality gate measures coherence"
                  + " on.");
  public static final ConfigOption<String> EXPORT_DIR =
      ConfigOptions.key("training.export-dir")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Directory (a shared filesystem path) where every published version is written as "
                  + "quasid-v<version>.snapshot, for services that encode outside the job. Written "
                  + "when published, not when checkpointed: after a restart a version number may be "
                  + "written again with the resumed model's weights.");

  private PublishOptions() {}
}
