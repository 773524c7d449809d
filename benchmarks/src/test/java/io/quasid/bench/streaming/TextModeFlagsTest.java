package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.bench.BenchmarkCommandLine;
import io.quasid.bench.DocumentedArgs;
import io.quasid.bench.HelpText;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TextModeFlagsTest {

  private static TextModeBenchmark.Flags parse(String... args) {
    return BenchmarkCommandLine.settings(new TextModeBenchmark.Flags(), args);
  }

  @Test
  void defaultsAndEveryDocumentedExampleParse() {
    TextModeBenchmark.Flags defaults = parse(DocumentedArgs.profileArgs("text", ""));

    assertThat(defaults.items).isEqualTo(4_344);
    assertThat(defaults.textParallelism).containsExactly(1, 2);
    assertThat(defaults.intraOpThreads).containsExactly(1, 0);
    assertThat(parse("--intra-op-threads", "0").intraOpThreads).containsExactly(0);
    assertThat(defaults.out).isAbsolute();
    assertThat(parse().out).isEqualTo(Path.of("benchmarks", "results"));
    assertThat(parse("--text-parallelism", "2", "--items", "500").textParallelism)
        .containsExactly(2);
    for (String example : DocumentedArgs.examples("text")) {
      assertThat(parse(DocumentedArgs.profileArgs("text", example))).isNotNull();
    }
  }

  @Test
  void refusedValuesNameTheirFlag() {
    assertThatThrownBy(() -> parse("--items", "50")).hasMessageContaining("--items");
    assertThatThrownBy(() -> parse("--text-parallelism", "0"))
        .hasMessageContaining("--text-parallelism");
    assertThatThrownBy(() -> parse("--intra-op-threads", "-1"))
        .hasMessageContaining("--intra-op-threads");
  }

  @Test
  void helpDescribesEveryFlag() {
    assertThat(HelpText.of(new TextModeBenchmark.Flags()))
        .contains(
            "Usage: TextModeBenchmark",
            "--items",
            "--text-parallelism",
            "--intra-op-threads",
            "--out");
  }
}
