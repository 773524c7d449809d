package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.bench.DocumentedArgs;
import io.quasid.bench.HelpText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
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
  void managedMemoryDefaultsToWhatFlinkGivesTheDeployedTaskManager() {
    // ops/k8s/flink-deployment.yaml: an 8192m process, 512m task off-heap, Flink's other defaults.
    Configuration deployed = new Configuration();
    deployed.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("8192m"));
    deployed.set(TaskManagerOptions.TASK_OFF_HEAP_MEMORY, MemorySize.parse("512m"));
    MemorySize managed =
        TaskExecutorProcessUtils.processSpecFromConfig(deployed).getManagedMemorySize();

    assertThat(StreamingSettings.parse(new String[0]).managedMemory())
        .isEqualTo(StreamingSettings.DEPLOYED_MANAGED_MEMORY);
    assertThat(managed.getBytes()).isEqualTo(StreamingSettings.DEPLOYED_MANAGED_MEMORY.getBytes());
    assertThat(StreamingSettings.parse(new String[] {"--managed-memory", "128m"}).managedMemory())
        .isEqualTo(MemorySize.parse("128m"));
  }

  @Test
  void flinkOptionsAreKeptForTheLocalCluster() {
    StreamingSettings s =
        StreamingSettings.parse(
            new String[] {
              "--flink-option", "state.backend.rocksdb.compaction.style=UNIVERSAL",
              "--flink-option", "state.backend.rocksdb.thread.num=2"
            });

    assertThat(s.flinkOptions())
        .containsOnly(
            Map.entry("state.backend.rocksdb.compaction.style", "UNIVERSAL"),
            Map.entry("state.backend.rocksdb.thread.num", "2"));
    assertThat(StreamingSettings.parse(new String[0]).flinkOptions()).isEmpty();
    assertThatThrownBy(() -> StreamingSettings.parse(new String[] {"--flink-option", "x"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KEY=VALUE");
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

  @Test
  void defaultsAndQuickDefaultsAreTheFullAndTheDevelopmentRun() {
    StreamingSettings full = StreamingSettings.parse(new String[0]);
    StreamingSettings quick = StreamingSettings.parse(new String[] {"--quick"});

    assertThat(List.of(full.items(), full.items768())).containsExactly(1_000_000L, 100_000L);
    assertThat(List.of(quick.items(), quick.items768())).containsExactly(20_000L, 5_000L);
    assertThat(full.latencySeconds()).isEqualTo(60);
    assertThat(quick.latencySeconds()).isEqualTo(15);
    assertThat(full.interactionsPerItem()).isEqualTo(1.0);
    assertThat(full.latencyRateFraction()).isEqualTo(0.5);
    assertThat(full.reencodeNewRateFraction()).isEqualTo(0.1);
    assertThat(full.training768()).isTrue();
    assertThat(full.phaseTimeout()).isEqualTo(Duration.ofMinutes(20));
    assertThat(full.skip()).isEmpty();
    assertThat(full.jobOptions()).isEmpty();
    assertThat(full.compareOptions()).isEmpty();
    assertThat(full.out()).isEqualTo(Path.of("benchmarks", "results"));
  }

  @Test
  void flagsParseAsBefore() {
    StreamingSettings s =
        StreamingSettings.parse(
            new String[] {
              "--items",
              "5000",
              "--items-768",
              "0",
              "--interactions-per-item",
              "2.5",
              "--latency-seconds",
              "30",
              "--latency-rate-fraction",
              "1",
              "--reencode-new-rate-fraction",
              "0.2",
              "--no-training-768",
              "--phase-timeout-minutes",
              "15",
              "--skip",
              "training-on,latency",
              "--job-option",
              "a=1",
              "--job-option",
              "a=2",
              "--out",
              "/tmp/s"
            });

    assertThat(s.items()).isEqualTo(5000);
    assertThat(s.items768()).isZero();
    assertThat(s.interactionsPerItem()).isEqualTo(2.5);
    assertThat(s.latencySeconds()).isEqualTo(30);
    assertThat(s.latencyRateFraction()).isEqualTo(1);
    assertThat(s.reencodeNewRateFraction()).isEqualTo(0.2);
    assertThat(s.training768()).isFalse();
    assertThat(s.phaseTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.skip()).containsExactlyInAnyOrder("training-on", "latency");
    assertThat(s.runs("reencode")).isTrue();
    assertThat(s.jobOptions()).containsExactly(Map.entry("a", "2"));
    assertThat(s.out()).isEqualTo(Path.of("/tmp/s"));
  }

  @Test
  void refusedValuesNameTheirFlag() {
    for (String[] bad :
        List.of(
            new String[] {"--items", "999"},
            new String[] {"--skip", "warm-up"},
            new String[] {"--latency-rate-fraction", "0"},
            new String[] {"--reencode-new-rate-fraction", "1.5"},
            new String[] {"--job-option", "no-equals-sign"},
            new String[] {"--items-768", "lots"})) {
      assertThatThrownBy(() -> StreamingSettings.parse(bad))
          .as(String.join(" ", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad[0]);
    }
  }

  @Test
  void helpDescribesEveryFlag() {
    assertThat(HelpText.of(new StreamingFlags()))
        .contains("Usage: StreamingBenchmark")
        .contains("--compare-option=KEY=VALUE")
        .contains("--no-training-768");
  }

  @Test
  void anUnknownFlagFailsWithPicocliMessageAndTheUsage() {
    assertThatThrownBy(() -> StreamingSettings.parse(new String[] {"--items768", "0"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown option")
        .hasMessageContaining("'--items768'")
        .hasMessageContaining("Usage: StreamingBenchmark");
    assertThatThrownBy(() -> StreamingSettings.parse(new String[] {"--items", "5000", "--skip"}))
        .hasMessageContaining("Missing required parameter for option '--skip'");
  }

  @Test
  void everyDocumentedProfileArgsParse() {
    List<String> examples = new ArrayList<>(DocumentedArgs.examples("streaming"));
    assertThat(examples).hasSizeGreaterThanOrEqualTo(6);
    examples.add("");
    for (String args : examples) {
      String[] argv = DocumentedArgs.profileArgs("streaming", args);
      assertThat(DocumentedArgs.parse(new StreamingFlags(), argv, args)).as(args).isTrue();
    }
  }
}
