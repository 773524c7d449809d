package io.quasid.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunJmhFlagsTest {

  private static RunJmh.Flags parse(String... args) {
    return BenchmarkCommandLine.settings(new RunJmh.Flags(), args);
  }

  @Test
  void theProfileArgsParseAndTheLastOutWins() {
    RunJmh.Flags flags = parse(DocumentedArgs.profileArgs("jmh", "--out /tmp/jmh --smoke"));

    assertThat(flags.out).isEqualTo(Path.of("/tmp/jmh"));
    assertThat(flags.smoke).isTrue();
    assertThat(parse(DocumentedArgs.profileArgs("jmh", "")).smoke).isFalse();
    assertThat(parse().out).isEqualTo(Path.of("results"));
  }

  @Test
  void helpDescribesEveryFlag() {
    assertThat(HelpText.of(new RunJmh.Flags())).contains("Usage: RunJmh").contains("--smoke");
  }

  @Test
  void anUnknownFlagFailsWithPicocliMessageAndTheUsage() {
    assertThatThrownBy(() -> parse("--smok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown option: '--smok'")
        .hasMessageContaining("Usage: RunJmh");
    assertThatThrownBy(() -> parse("--out"))
        .hasMessageContaining("Missing required parameter for option '--out'");
  }
}
