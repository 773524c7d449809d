package io.quasid.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.job.FlinkSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;

class QuasidJobOptionsTest {

  private static QuasidJobOptions parse(String... args) {
    return QuasidJobCommandLine.parse(args, new PrintWriter(new StringWriter())).orElseThrow();
  }

  @Test
  void defaultsAreValidAndFlagsOverrideThem() {
    QuasidJobOptions o =
        parse(
            "--bootstrap.servers=broker:9093",
            "--checkpoint.interval",
            "3 s",
            "--churn.policy=FREEZE_LEVELS:2",
            "--kafka.security.protocol=SASL_SSL");
    assertThat(o.get(KafkaOptions.BOOTSTRAP_SERVERS)).isEqualTo("broker:9093");
    assertThat(o.get(RuntimeOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.churnPolicy().toString()).isEqualTo("FREEZE_LEVELS:2");
    assertThat(parse("--churn.policy=keep").churnPolicy().keepsEveryItem()).isTrue();
    // The spelling the README gives: Flink parses this enum by its description, not its name.
    assertThat(parse("--sink.sid-delivery=at-least-once").get(KafkaOptions.SID_DELIVERY))
        .isEqualTo(org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(o.kafkaClientProperties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(o.toString()).doesNotContain("SASL_SSL");
    assertThat(QuasidJobOptions.defaults().validate().get(InputOptions.VECTOR_DIM)).isEqualTo(64);
    assertThat(parse("--model.codebook-learning-rate=0.05").modelConfig().codebookLearningRate())
        .isEqualTo(0.05f);
  }

  @Test
  void theReferenceTrainingRecipeIsThreeModelOptions() {
    io.quasid.model.QuasidConfig plain = QuasidJobOptions.defaults().validate().modelConfig();
    assertThat(plain.lossScale()).isEqualTo(io.quasid.model.QuasidConfig.LossScale.ROW_SUM);
    assertThat(plain.detachDeepResiduals()).isFalse();
    assertThat(plain.contrastiveNegatives())
        .isEqualTo(io.quasid.model.QuasidConfig.ContrastiveNegatives.PAIRS);

    io.quasid.model.QuasidConfig reference =
        parse(
                "--model.loss-scale=element_mean",
                "--model.detach-deep-residuals=true",
                "--model.contrastive-negatives=batch")
            .modelConfig();
    assertThat(reference.lossScale())
        .isEqualTo(io.quasid.model.QuasidConfig.LossScale.ELEMENT_MEAN);
    assertThat(reference.detachDeepResiduals()).isTrue();
    assertThat(reference.contrastiveNegatives())
        .isEqualTo(io.quasid.model.QuasidConfig.ContrastiveNegatives.BATCH);
    assertThatThrownBy(() -> parse("--model.loss-scale=mean"))
        .hasMessageContaining("model.loss-scale");
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    StringWriter out = new StringWriter();
    assertThat(QuasidJobCommandLine.parse(new String[] {"--help"}, new PrintWriter(out))).isEmpty();
    assertThat(out.toString())
        .contains(
            "--topic.sid-assignments",
            "sid-assignments",
            "--churn.policy",
            "--registry.url",
            "--sink.value-framing",
            "--sink.transactional-id-prefix",
            "--training.enabled",
            "--training.catalogue-share",
            "--model.codebook-learning-rate",
            "--kafka.");
  }

  @Test
  void invalidValuesFailFastNamingTheKey() {
    assertThatThrownBy(() -> parse("--checkpoint.interval=0 s"))
        .hasMessageContaining("checkpoint.interval");
    assertThatThrownBy(() -> parse("--topic.dead-letters=item-features"))
        .hasMessageContaining("topic.dead-letters must differ");
    assertThatThrownBy(() -> parse("--churn.policy=SOMETIMES"))
        .hasMessageContaining("churn.policy");
    assertThatThrownBy(() -> parse("--model.snapshot=/no/such/file"))
        .hasMessageContaining("model.snapshot is not a file");
    assertThatThrownBy(() -> parse("--model.levels=0")).hasMessageContaining("levels");
    assertThatThrownBy(() -> parse("--model.codebook-learning-rate=0"))
        .hasMessageContaining("model.codebook-learning-rate must be > 0");
    assertThatThrownBy(() -> parse("--no-such-flag=1")).hasMessageContaining("no-such-flag");
    assertThatThrownBy(() -> parse("--max-record-bytes=2000000"))
        .hasMessageContaining("max.request.size");
    assertThat(parse("--max-record-bytes=2000000", "--kafka.max.request.size=4194304")).isNotNull();
    assertThatThrownBy(() -> parse("--parallelism=many")).hasMessageContaining("parallelism");
    assertThatThrownBy(() -> parse("--sink.value-framing=registry"))
        .hasMessageContaining("needs registry.url");
    assertThatThrownBy(() -> parse("--registry.url=registry:8081"))
        .hasMessageContaining("registry.url: schema registry URL must be http(s)");
    assertThat(parse("--registry.url=http://registry:8081", "--sink.value-framing=registry"))
        .isNotNull();
  }

  @Test
  void aMistypedFlagNeverEchoesItsValue() {
    assertThatThrownBy(() -> parse("--kafak.sasl.jaas.config=hunter2"))
        .hasMessageContaining("--kafak.sasl.jaas.config")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void onlyTheUsersFlinkSettingsOverrideTheClusters() {
    Configuration cluster = new Configuration();
    cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(30));
    cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    cluster.set(CoreOptions.DEFAULT_PARALLELISM, 4);
    cluster.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, false);
    cluster.set(
        RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL,
        List.of(org.rocksdb.CompressionType.LZ4_COMPRESSION));

    Configuration applied = FlinkSettings.of(parse("--kafka.security.protocol=SASL_SSL"), cluster);

    assertThat(applied.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEmpty();
    assertThat(applied.getOptional(RestartStrategyOptions.RESTART_STRATEGY)).isEmpty();
    assertThat(applied.getOptional(CoreOptions.DEFAULT_PARALLELISM)).isEmpty();
    assertThat(applied.getOptional(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isEmpty();
    assertThat(applied.getOptional(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL)).isEmpty();
    assertThat(applied.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
        .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    assertThat(applied.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(128);
    assertThat(applied.toMap().toString()).doesNotContain("SASL_SSL").doesNotContain("kafka.");

    Configuration bare = FlinkSettings.of(parse(), new Configuration());
    assertThat(bare.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(bare.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(bare.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(bare.getOptional(CoreOptions.DEFAULT_PARALLELISM)).isEmpty();
    assertThat(bare.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(bare.get(CheckpointingOptions.ENABLE_UNALIGNED)).isTrue();
    assertThat(bare.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
    assertThat(bare.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
        .containsExactly(
            org.rocksdb.CompressionType.NO_COMPRESSION,
            org.rocksdb.CompressionType.NO_COMPRESSION,
            org.rocksdb.CompressionType.SNAPPY_COMPRESSION);

    Configuration passed =
        FlinkSettings.of(
            parse("--parallelism=2", "--checkpoint.interval=5 s", "--restart.attempts=7"), cluster);
    assertThat(passed.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(2);
    assertThat(passed.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(passed.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
    assertThat(passed.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
        .isEqualTo(7);
  }

  @Test
  void theCheckpointTimeoutMustStayWellBelowTheTransactionTimeout() {
    assertThatThrownBy(() -> parse("--checkpoint.timeout=6 min"))
        .hasMessageContaining("checkpoint.timeout")
        .hasMessageContaining("transaction.timeout.ms = 600000");
    parse("--checkpoint.timeout=6 min", "--kafka.transaction.timeout.ms=900000");

    Configuration cluster = new Configuration();
    cluster.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(10));
    assertThatThrownBy(() -> FlinkSettings.of(parse(), cluster))
        .hasMessageContaining("execution.checkpointing.timeout of the cluster");
  }
}
