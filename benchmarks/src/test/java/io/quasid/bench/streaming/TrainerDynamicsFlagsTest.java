package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.bench.BenchmarkCommandLine;
import io.quasid.bench.DocumentedArgs;
import io.quasid.bench.HelpText;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainerDynamicsFlagsTest {

  private static TrainerDynamicsBenchmark.Flags parse(String... args) {
    return BenchmarkCommandLine.settings(new TrainerDynamicsBenchmark.Flags(), args);
  }

  @Test
  void defaultsAndTheReadmeFlagsParse() {
    TrainerDynamicsBenchmark.Flags defaults = parse(DocumentedArgs.profileArgs("dynamics", ""));
    TrainerDynamicsBenchmark.Flags set =
        parse(
            DocumentedArgs.profileArgs(
                "dynamics", "--steps 100 --eval-every 10 --seeds 1 --out /tmp/d"));

    assertThat(defaults.steps).isEqualTo(600);
    assertThat(defaults.every).isEqualTo(50);
    assertThat(defaults.seeds).isEqualTo(3);
    assertThat(defaults.out).isAbsolute();
    assertThat(parse().out).isEqualTo(Path.of("benchmarks", "results"));
    assertThat(set.steps).isEqualTo(100);
    assertThat(set.every).isEqualTo(10);
    assertThat(set.seeds).isEqualTo(1);
    assertThat(set.out).isEqualTo(Path.of("/tmp/d"));
  }

  @Test
  void refusedValuesNameTheirFlag() {
    assertThatThrownBy(() -> parse("--eval-every", "0")).hasMessageContaining("--eval-every");
    assertThatThrownBy(() -> parse("--seeds", "0")).hasMessageContaining("--seeds");
    assertThatThrownBy(() -> parse("--steps", "many")).hasMessageContaining("'--steps'");
  }

  @Test
  void helpDescribesEveryFlag() {
    assertThat(HelpText.of(new TrainerDynamicsBenchmark.Flags()))
        .contains("Usage: TrainerDynamicsBenchmark");
  }

  @Test
  void anUnknownFlagFailsWithPicocliMessageAndTheUsage() {
    assertThatThrownBy(() -> parse("--step", "10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown option")
        .hasMessageContaining("'--step'")
        .hasMessageContaining("Usage: TrainerDynamicsBenchmark");
  }
}
