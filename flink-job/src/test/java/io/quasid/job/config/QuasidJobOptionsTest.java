package io.quasid.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
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
    assertThat(o.get(QuasidJobOptions.BOOTSTRAP_SERVERS)).isEqualTo("broker:9093");
    assertThat(o.get(QuasidJobOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.churnPolicy().toString()).isEqualTo("FREEZE_LEVELS:2");
    assertThat(o.kafkaClientProperties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(o.toString()).doesNotContain("SASL_SSL");
    assertThat(QuasidJobOptions.defaults().validate().get(QuasidJobOptions.VECTOR_DIM))
        .isEqualTo(64);
    assertThat(parse("--model.codebook-learning-rate=0.05").modelConfig().codebookLearningRate())
        .isEqualTo(0.05f);
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
    assertThatThrownBy(() -> parse("--parallelism=many")).hasMessageContaining("parallelism");
  }
}
