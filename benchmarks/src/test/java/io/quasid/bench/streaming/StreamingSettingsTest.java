package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamingSettingsTest {

  @Test
  void jobAndCompareOptionsKeepEverythingAfterTheFirstEqualsSign() {
    StreamingSettings s =
        StreamingSettings.parse(
            new String[] {
              "--job-option", "training.publish-interval=1 h",
              "--compare-option", "training.state-refresh-interval=0 s",
              "--compare-option", "kafka.sasl.jaas.config=a=b"
            });

    assertThat(s.jobOptions()).containsExactly(Map.entry("training.publish-interval", "1 h"));
    assertThat(s.compareOptions())
        .containsExactly(
            Map.entry("training.state-refresh-interval", "0 s"),
            Map.entry("kafka.sasl.jaas.config", "a=b"));
  }

  @Test
  void anOptionWithoutAKeyIsRefused() {
    assertThatThrownBy(() -> StreamingSettings.parse(new String[] {"--compare-option", "=1"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KEY=VALUE");
  }

  @Test
  void aFullRunWarmsUpLongerThanAQuickOneAndZeroTurnsItOff() {
    assertThat(StreamingSettings.parse(new String[0]).warmUpSeconds()).isEqualTo(90);
    assertThat(StreamingSettings.parse(new String[] {"--quick"}).warmUpSeconds()).isEqualTo(10);
    assertThat(StreamingSettings.parse(new String[] {"--warm-up-seconds", "0"}).warmUpSeconds())
        .isZero();
    assertThatThrownBy(() -> StreamingSettings.parse(new String[] {"--warm-up-seconds", "-1"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--warm-up-seconds");
  }

  @Test
  void thePassThroughBaselineRunsThreeTimesUnlessToldOtherwise() {
    assertThat(StreamingSettings.parse(new String[0]).passThroughRuns()).isEqualTo(3);
    assertThat(StreamingSettings.parse(new String[] {"--pass-through-runs", "1"}).passThroughRuns())
        .isEqualTo(1);
    assertThatThrownBy(() -> StreamingSettings.parse(new String[] {"--pass-through-runs", "0"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--pass-through-runs");
  }
}
