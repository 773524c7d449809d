package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

  @Test
  void defaultsGiveTheFullRun() {
    BenchmarkOptions o = BenchmarkOptions.parse(new String[] {"--data", "/d"});

    assertThat(o.dataDir()).isEqualTo(Path.of("/d"));
    assertThat(o.quick()).isFalse();
    assertThat(o.seeds()).isEqualTo(3);
    assertThat(o.tokenizer().levels()).isEqualTo(4);
    assertThat(o.tokenizer().codebookSize()).isEqualTo(256);
    assertThat(o.publishedVariants()).hasSize(4);
  }

  @Test
  void quickShrinksBudgetsButFlagsWin() {
    BenchmarkOptions o =
        BenchmarkOptions.parse(
            new String[] {
              "--data", "/d", "--quick", "--seeds", "2", "--rec-lr", "0.5", "--out", "x"
            });

    assertThat(o.seeds()).isEqualTo(2);
    assertThat(o.recommender().epochs()).isEqualTo(1);
    assertThat(o.recommender().learningRate()).isEqualTo(0.5);
    assertThat(o.tokenizer().steps()).isLessThan(100);
    assertThat(o.outDir()).isEqualTo(Path.of("x"));
  }

  @Test
  void rejectsUnknownFlags() {
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--fast"}))
        .hasMessageContaining("unknown option --fast");
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--data"}))
        .hasMessageContaining("needs a value");
  }
}
