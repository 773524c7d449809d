package io.quasid.job.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Checkpointing, parallelism and restarts of the job. */
public final class RuntimeOptions {

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOptions.key("checkpoint.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "Checkpoint interval; SID assignments become visible to read_committed consumers"
                  + " once per checkpoint. Applied when passed, or when the cluster sets no"
                  + " execution.checkpointing.interval.");
  public static final ConfigOption<Duration> CHECKPOINT_TIMEOUT =
      ConfigOptions.key("checkpoint.timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(5))
          .withDescription(
              "Checkpoint timeout. Applied when passed, or when the cluster sets no"
                  + " execution.checkpointing.timeout. Must be at most half the sinks' Kafka"
                  + " transaction timeout (kafka.transaction.timeout.ms, default 10 min): a"
                  + " transaction the broker aborts before its checkpoint completes loses the"
                  + " SIDs in it.");
  public static final ConfigOption<String> CHECKPOINT_DIR =
      ConfigOptions.key("checkpoint.dir")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Durable checkpoint storage URI (e.g. s3://..., file:///...); none keeps them in"
                  + " the JobManager (local runs only).");
  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("parallelism")
          .intType()
          .noDefaultValue()
          .withDescription(
              "Default parallelism of the job (the trainer always runs at 1); the cluster's"
                  + " parallelism.default when not passed.");
  public static final ConfigOption<Integer> MAX_PARALLELISM =
      ConfigOptions.key("max-parallelism")
          .intType()
          .defaultValue(128)
          .withDescription(
              "Key groups of the keyed state: the job can never scale above it, and it cannot"
                  + " change without losing state. Applied when passed, or when the cluster sets"
                  + " no pipeline.max-parallelism (128 equals Flink's own choice below parallelism"
                  + " 86, so savepoints taken before it was set still restore).");
  public static final ConfigOption<Integer> RESTART_ATTEMPTS =
      ConfigOptions.key("restart.attempts")
          .intType()
          .noDefaultValue()
          .withDescription(
              "Switches to a fixed-delay restart strategy with this many attempts over the job's"
                  + " life. Not passed (and no restart.delay): the cluster's strategy, else"
                  + " exponential-delay, which never gives up on a recoverable failure. Attempts"
                  + " made while no TaskManager is up count too: a budget shorter than a"
                  + " TaskManager outage fails the job for good.");
  public static final ConfigOption<Duration> RESTART_DELAY =
      ConfigOptions.key("restart.delay")
          .durationType()
          .noDefaultValue()
          .withDescription(
              "Switches to a fixed-delay restart strategy with this delay (attempts:"
                  + " restart.attempts, else unbounded).");

  private RuntimeOptions() {}
}
