package io.quasid.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rule of {@link QuasidJobOptionsValidator}: a bad value is refused, naming its key. Negative
 * durations are refused by Flink's own parser before the validator sees them (its message names the
 * key too); the validator's rules still guard options set programmatically.
 */
class QuasidJobOptionsValidatorTest {

  private static QuasidJobOptions parse(String... args) {
    return QuasidJobCommandLine.parse(args, new PrintWriter(new StringWriter())).orElseThrow();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--bootstrap.servers= | bootstrap.servers must not be empty",
        "--topic.items= | topic.items must not be empty",
        "--topic.sid-assignments=item-features | must differ from the other topics",
        "--group.id= | group.id must not be empty",
        "--checkpoint.interval=0 s | checkpoint.interval must be > 0",
        "--checkpoint.timeout=0 s | checkpoint.timeout must be > 0",
        "--checkpoint.timeout=10 min | must be at most half the Kafka transaction timeout",
        "--parallelism=0 | parallelism must be >= 1",
        "--max-parallelism=0 | max-parallelism must be in 1..32768",
        "--parallelism=300 | parallelism must not exceed max-parallelism",
        "--restart.attempts=-1 | restart.attempts must be >= 0",
        "--restart.delay=-1 s | key 'restart.delay'",
        "--vector.dim=0 | vector.dim must be >= 1",
        "--max-record-bytes=63 | max-record-bytes must be >= 64",
        "--event-time.max-future-skew=-1 s | key 'event-time.max-future-skew'",
        "--items.unknown-delete-retention=-1 s | key 'items.unknown-delete-retention'",
        "--dead-letters.max-key-bytes=-1 | dead-letters.max-key-bytes must be >= 0",
        "--interactions.unknown-item-grace=-1 s | key 'interactions.unknown-item-grace'",
        "--interactions.unknown-item-max-wait=1 ms | must be at least interactions.unknown-item-grace",
        "--assigner.batch-size=0 | assigner.batch-size must be >= 1",
        "--assigner.flush-interval=-1 ms | key 'assigner.flush-interval'",
        "--assigner.reencode-slice=0 | assigner.reencode-slice must be >= 1",
        "--assigner.reencode-share=0 | assigner.reencode-share must be in (0, 1]",
        "--assigner.reencode-share=1.5 | assigner.reencode-share must be in (0, 1]",
        "--model.learning-rate=0 | model.learning-rate must be > 0",
        "--sink.transactional-id-prefix= | sink.transactional-id-prefix must not be empty",
        "--sink.sid-delivery=none | sink.sid-delivery must be EXACTLY_ONCE or AT_LEAST_ONCE",
        "--churn.policy=BUDGET:-5:0 | churn.policy",
        "--churn.policy=BUDGET:0%:0 | BUDGET share must be in (0, 100] percent",
        "--churn.policy=BUDGET:120%:0 | BUDGET share must be in (0, 100] percent",
        "--model.saved-model=/no/such/dir | model.saved-model is not a directory",
        "--kafka.max.request.size=big | kafka.max.request.size must be a number",
        "--text.intra-op-threads=-1 | text.intra-op-threads must be >= 0",
      })
  void aBadValueIsRefusedNamingItsKey(String flag, String message) {
    assertThatThrownBy(() -> parse(flag.trim()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message.trim());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "--assigner.reencode-share=1",
    "--checkpoint.timeout=5 min",
    "--restart.attempts=0",
    "--dead-letters.max-key-bytes=0",
    "--interactions.unknown-item-grace=0 s",
    "--churn.policy=BUDGET:100%:0",
    "--churn.policy=BUDGET:0.01%:0"
  })
  void theEdgesOfEachRangeAreAccepted(String flag) {
    assertThat(parse(flag)).isNotNull();
  }
}
