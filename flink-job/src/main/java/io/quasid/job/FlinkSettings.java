package io.quasid.job;

import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RuntimeOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.rocksdb.CompressionType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Flink settings the job lays over the cluster's (or the local run's) own. */
public final class FlinkSettings {

  private static final Logger LOG = LoggerFactory.getLogger(FlinkSettings.class);

  /**
   * Below this a restart can outlast the sinks' first transaction: it stays open until every task
   * runs, and the trainer restoring TensorFlow took 22-30 s on a loaded 2-core box.
   */
  private static final Duration SHORT_TRANSACTION_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Levels 0 and 1 uncompressed, Snappy below (RocksDB applies the last entry to deeper levels).
   */
  static final List<CompressionType> UNCOMPRESSED_TOP_LEVELS =
      List.of(
          CompressionType.NO_COMPRESSION,
          CompressionType.NO_COMPRESSION,
          CompressionType.SNAPPY_COMPRESSION);

  private FlinkSettings() {}

  /**
   * The Flink settings the job applies over {@code cluster}'s. Always: exactly-once checkpoints and
   * no Kryo fallback (a type that would fall back fails at build time), which correctness needs.
   * Parallelism, restart strategy and checkpoint storage only when the user passed them; the
   * checkpoint interval and timeout, max parallelism and RocksDB when passed or when the cluster
   * sets none, so a FlinkDeployment's own settings are never silently replaced. Without any restart
   * setting the strategy is exponential-delay. Only Flink keys go in: the job's own options (Kafka
   * secrets among them) never enter the job configuration.
   *
   * @throws IllegalArgumentException if the effective checkpoint timeout is not well below the
   *     sinks' Kafka transaction timeout
   */
  public static Configuration of(QuasidJobOptions options, ReadableConfig cluster) {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    if (cluster.getOptional(StateBackendOptions.STATE_BACKEND).isEmpty()) {
      conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    }
    // Measured (streaming benchmark, 1M items): full snapshots grew to ~410 MiB every checkpoint,
    // and under back-pressure aligned barriers waited behind in-flight records until checkpoints
    // expired. Both defaults apply only where the cluster has no setting of its own.
    if (cluster.getOptional(CheckpointingOptions.INCREMENTAL_CHECKPOINTS).isEmpty()) {
      conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    }
    if (cluster.getOptional(CheckpointingOptions.ENABLE_UNALIGNED).isEmpty()) {
      conf.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
    }
    // Most reads of the assigner, the bucket allocator and the publisher look up keys that do not
    // exist yet (a new item, a new bucket); without a filter each probes every level, and the
    // native checkpoint every interval adds a level-0 file. Measured in the streaming benchmark.
    if (cluster.getOptional(RocksDBConfigurableOptions.USE_BLOOM_FILTER).isEmpty()) {
      conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
    }
    // Every checkpoint flushes each state's memtable into a level-0 file, and compaction rewrites
    // levels 0 and 1 over and over. Streaming benchmark, 2026-12-07, 5 runs a side: with no
    // compression on any level, training off ran 27 % faster than with Snappy on every level
    // (25.9k against 20.4k items/s; RocksDB's flush and compaction threads 0.25 against 0.39 of
    // the 2 cores in one sample each). Float vectors and hashed ids hardly compress (412 against
    // 528 MiB), so levels 2 and below, where data settles once a column family outgrows level 1
    // (with Flink's static level sizes), stay compressed: the state of those runs never got there.
    if (cluster.getOptional(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL).isEmpty()) {
      conf.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, UNCOMPRESSED_TOP_LEVELS);
    }
    setUnlessClusterHas(
        conf,
        cluster,
        CheckpointingOptions.CHECKPOINTING_INTERVAL,
        options.passed(RuntimeOptions.CHECKPOINT_INTERVAL),
        options.get(RuntimeOptions.CHECKPOINT_INTERVAL));
    Duration timeout =
        setUnlessClusterHas(
            conf,
            cluster,
            CheckpointingOptions.CHECKPOINTING_TIMEOUT,
            options.passed(RuntimeOptions.CHECKPOINT_TIMEOUT),
            options.get(RuntimeOptions.CHECKPOINT_TIMEOUT));
    options.requireTransactionTimeoutAbove(
        timeout,
        options.passed(RuntimeOptions.CHECKPOINT_TIMEOUT).isPresent()
                || cluster.getOptional(CheckpointingOptions.CHECKPOINTING_TIMEOUT).isEmpty()
            ? RuntimeOptions.CHECKPOINT_TIMEOUT.key()
            : CheckpointingOptions.CHECKPOINTING_TIMEOUT.key() + " of the cluster");
    if (options.transactionTimeout().compareTo(SHORT_TRANSACTION_TIMEOUT) < 0) {
      LOG.warn(
          "kafka.transaction.timeout.ms = {} ms: a restart whose tasks take longer than that to"
              + " start (the trainer restores TensorFlow) loses what the job wrote before its"
              + " first checkpoint; keep it at minutes (default {} ms)",
          options.transactionTimeout().toMillis(),
          QuasidJobOptions.DEFAULT_TRANSACTION_TIMEOUT.toMillis());
    }
    setUnlessClusterHas(
        conf,
        cluster,
        PipelineOptions.MAX_PARALLELISM,
        options.passed(RuntimeOptions.MAX_PARALLELISM),
        options.get(RuntimeOptions.MAX_PARALLELISM));
    options
        .passed(RuntimeOptions.CHECKPOINT_DIR)
        .ifPresent(dir -> conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir));
    options.parallelism().ifPresent(p -> conf.set(CoreOptions.DEFAULT_PARALLELISM, p));
    Optional<Integer> attempts = options.passed(RuntimeOptions.RESTART_ATTEMPTS);
    Optional<Duration> delay = options.passed(RuntimeOptions.RESTART_DELAY);
    if (attempts.isPresent() || delay.isPresent()) {
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      conf.set(
          RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
          attempts.orElse(Integer.MAX_VALUE));
      conf.set(
          RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
          delay.orElse(Duration.ofSeconds(1)));
    } else if (cluster.getOptional(RestartStrategyOptions.RESTART_STRATEGY).isEmpty()) {
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    }
    return conf;
  }

  /**
   * Sets {@code key} to the user's value if passed, else to {@code fallback} unless the cluster
   * sets it; returns the value in effect.
   */
  private static <T> T setUnlessClusterHas(
      Configuration conf,
      ReadableConfig cluster,
      ConfigOption<T> key,
      Optional<T> passed,
      T fallback) {
    if (passed.isPresent()) {
      conf.set(key, passed.get());
      return passed.get();
    }
    Optional<T> clusters = cluster.getOptional(key);
    if (clusters.isPresent()) {
      return clusters.get();
    }
    conf.set(key, fallback);
    return fallback;
  }
}
