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
    assertThat(o.levels()).containsExactly(3, 4);
    assertThat(o.tokenizer().levels()).isEqualTo(3);
    assertThat(o.tokenizer(4).levels()).isEqualTo(4);
    assertThat(o.datasets()).containsExactly("beauty", "scientific");
    assertThat(o.tokenizerSeeds()).isEqualTo(5);
    assertThat(o.coldStart()).isEqualTo(0.05);
    assertThat(o.bootstrap()).isEqualTo(1000);
    assertThat(o.variants()).isEqualTo(TokenizerVariant.DEFAULT);
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
  void listsAndVariantsParse() {
    BenchmarkOptions o =
        BenchmarkOptions.parse(
            new String[] {
              "--data",
              "/d",
              "--datasets",
              "beauty",
              "--levels",
              "4",
              "--variants",
              "rq-vae,quasid-group-mask",
              "--cold-start",
              "0",
              "--tokenizer-seeds",
              "2"
            });

    assertThat(o.datasets()).containsExactly("beauty");
    assertThat(o.levels()).containsExactly(4);
    assertThat(o.variants())
        .containsExactly(TokenizerVariant.RQ_VAE, TokenizerVariant.QUASID_GROUP_MASK);
    assertThat(o.coldStart()).isZero();
    assertThat(o.describe()).contains("--levels 4").contains("--tokenizer-seeds 2");
    assertThatThrownBy(
            () -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--variants", "quasid"}))
        .hasMessageContaining("rq-vae");
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--levels", "5"}))
        .hasMessageContaining("1..4");
  }

  @Test
  void settingsPickDatasetLevelPairs() {
    BenchmarkOptions o =
        BenchmarkOptions.parse(
            new String[] {"--data", "/d", "--settings", "beauty:3,scientific:3,scientific:4"});

    assertThat(o.datasets()).containsExactly("beauty", "scientific");
    assertThat(o.levelsFor("beauty")).containsExactly(3);
    assertThat(o.levelsFor("scientific")).containsExactly(3, 4);
    assertThat(o.describe()).contains("--settings beauty:3,scientific:3,scientific:4");
    assertThat(BenchmarkOptions.parse(new String[] {"--data", "/d"}).levelsFor("beauty"))
        .containsExactly(3, 4);
  }

  @Test
  void rejectsUnknownFlags() {
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--fast"}))
        .hasMessageContaining("unknown option --fast");
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--data"}))
        .hasMessageContaining("needs a value");
  }
}
