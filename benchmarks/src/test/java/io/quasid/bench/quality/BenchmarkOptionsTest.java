package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.bench.DocumentedArgs;
import io.quasid.bench.HelpText;
import io.quasid.model.QuasidConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  void theProxyAloneByDefaultAndTheGenerativeRecommenderOnRequest() {
    BenchmarkOptions plain = BenchmarkOptions.parse(new String[] {"--data", "/d"});
    assertThat(plain.recommenders()).isEqualTo(RecommenderChoice.PROXY);
    // The reproduce line of a proxy-only report is what it was before the generative option.
    assertThat(plain.describe()).doesNotContain("--recommender").doesNotContain("--gen-");

    BenchmarkOptions o =
        BenchmarkOptions.parse(
            "--data /d --recommender both --gen-epochs 2 --gen-beam 30 --gen-users 100".split(" "));

    assertThat(o.recommenders().proxy()).isTrue();
    assertThat(o.recommenders().generative()).isTrue();
    assertThat(o.generative().epochs()).isEqualTo(2);
    assertThat(o.generative().beamWidth()).isEqualTo(30);
    assertThat(o.generative().users()).isEqualTo(100);
    assertThat(o.generative().historyItems()).isEqualTo(20);
    assertThat(o.generative().topK()).isEqualTo(10);
    assertThat(BenchmarkOptions.parse(("--data /d " + o.describe()).split(" "))).isEqualTo(o);

    BenchmarkOptions quick =
        BenchmarkOptions.parse("--data /d --quick --recommender generative".split(" "));
    assertThat(quick.recommenders().proxy()).isFalse();
    assertThat(quick.generative().epochs()).isEqualTo(1);
    assertThat(quick.generative().users()).isEqualTo(256);
  }

  @Test
  void refusedGenerativeValuesNameTheirFlag() {
    assertThatThrownBy(() -> BenchmarkOptions.parse("--data /d --recommender tiger".split(" ")))
        .hasMessageContaining("--recommender")
        .hasMessageContaining("tiger");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--data /d --gen-beam 5".split(" ")))
        .hasMessageContaining("--gen-beam");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--data /d --gen-epochs 0".split(" ")))
        .hasMessageContaining("--gen-epochs");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--data /d --gen-users -1".split(" ")))
        .hasMessageContaining("--gen-users");
  }

  @Test
  void rejectsUnknownFlags() {
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--fast"}))
        .hasMessageContaining("Unknown option: '--fast'")
        .hasMessageContaining("Usage: QualityBenchmark");
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--data"}))
        .hasMessageContaining("Missing required parameter for option '--data'");
  }

  @Test
  void malformedAndRefusedValuesNameTheirFlag() {
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--seeds", "x"}))
        .hasMessageContaining("'--seeds'");
    assertThatThrownBy(
            () -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--levels", "3,x"}))
        .hasMessageContaining("--levels");
    assertThatThrownBy(
            () -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--settings", "beauty"}))
        .hasMessageContaining("--settings takes dataset:levels");
    assertThatThrownBy(
            () -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--datasets", "books"}))
        .hasMessageContaining("--datasets")
        .hasMessageContaining("books");
    assertThatThrownBy(
            () -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--variants", "rq-vae,x"}))
        .hasMessageContaining("--variants")
        .hasMessageContaining("unknown variant x");
    assertThatThrownBy(
            () -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--cold-start", "0.5"}))
        .hasMessageContaining("--cold-start");
    assertThatThrownBy(
            () -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--bootstrap", "9"}))
        .hasMessageContaining("--bootstrap");
    assertThatThrownBy(
            () -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--threads", "0"}))
        .hasMessageContaining("--threads");
  }

  @Test
  void helpDescribesEveryFlag() {
    String help = HelpText.of(new QualityFlags());

    assertThat(help)
        .contains("Usage: QualityBenchmark")
        .contains("--tokenizer-seeds")
        .contains("rq-vae-repulsion-unmasked");
    // picocli wraps the long default list; without whitespace it reads as the flag's value.
    assertThat(help.replaceAll("\\s", ""))
        .contains("(default:" + QualityFlags.keys(TokenizerVariant.DEFAULT) + ")");
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"-h"}))
        .hasMessageContaining("Usage: QualityBenchmark");
  }

  @Test
  void theReproduceLineOfTheReportParsesBackToTheSameRun() {
    BenchmarkOptions o =
        BenchmarkOptions.parse(
            new String[] {"--data", "/d", "--settings", "beauty:3,scientific:4", "--seeds", "2"});

    BenchmarkOptions again = BenchmarkOptions.parse(("--data /d " + o.describe()).split(" "));

    assertThat(again).isEqualTo(o);
  }

  @Test
  void theReferenceRecipeAndALongBudgetSurviveTheReproduceLine() {
    BenchmarkOptions o =
        BenchmarkOptions.parse(
            ("--data /d --settings scientific:4 --tokenizer-steps 8000 --tokenizer-batch 1024"
                    + " --eval-every 800 --loss-scale element-mean --detach-deep-residuals"
                    + " --tokenizer-codebook-lr 0.001 --dead-code-steps 0 --checkpoint"
                    + " min-collision --contrastive-negatives batch --pairs ppmi")
                .split(" "));

    TokenizerRecipe r = o.tokenizer().recipe();
    assertThat(r.lossScale()).isEqualTo(QuasidConfig.LossScale.ELEMENT_MEAN);
    assertThat(r.detachDeepResiduals()).isTrue();
    assertThat(r.codebookLearningRate()).isEqualTo(1e-3f);
    assertThat(r.deadCodeSteps()).isZero();
    assertThat(r.checkpoint()).isEqualTo(TokenizerRecipe.Checkpoint.MIN_COLLISION);
    assertThat(r.contrastiveNegatives()).isEqualTo(QuasidConfig.ContrastiveNegatives.BATCH);
    assertThat(r.pairSource()).isEqualTo(TokenizerRecipe.PairSource.PPMI);
    assertThat(o.tokenizer(4).recipe()).isEqualTo(r);
    assertThat(o.describe())
        .contains("--tokenizer-steps 8000 --tokenizer-batch 1024")
        .contains("--eval-every 800")
        .contains("--checkpoint min-collision")
        .contains("--pairs ppmi");
    assertThat(BenchmarkOptions.parse(("--data /d " + o.describe()).split(" "))).isEqualTo(o);
    assertThat(BenchmarkOptions.parse(new String[] {"--data", "/d"}).tokenizer().recipe())
        .isEqualTo(TokenizerRecipe.DEFAULT);
  }

  @Test
  void refusedRecipeValuesNameTheirFlagAndTheAcceptedOnes() {
    assertThatThrownBy(
            () -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--loss-scale", "sum"}))
        .hasMessageContaining("--loss-scale must be one of row-sum, element-mean, got 'sum'");
    assertThatThrownBy(
            () -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--checkpoint", "best"}))
        .hasMessageContaining("--checkpoint must be one of last, min-collision");
    assertThatThrownBy(
            () -> BenchmarkOptions.parse(new String[] {"--data", "/d", "--dead-code-steps", "-1"}))
        .hasMessageContaining("dead-code steps must be >= 0");
  }

  @Test
  void everyDocumentedProfileArgsParse() {
    List<String> examples = DocumentedArgs.examples("quality");
    assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
    // The examples run Beauty: the data is where a run finds it, not in this test's tree.
    String before = System.setProperty(DataPaths.BEAUTY_PROPERTY, "/d");
    try {
      for (String args : concat(examples, "")) {
        String[] argv = DocumentedArgs.profileArgs("quality", args);
        assertThat(DocumentedArgs.parse(new QualityFlags(), argv, args)).as(args).isTrue();
      }
    } finally {
      if (before == null) {
        System.clearProperty(DataPaths.BEAUTY_PROPERTY);
      } else {
        System.setProperty(DataPaths.BEAUTY_PROPERTY, before);
      }
    }
  }

  @Test
  void aLaterOutOverridesTheProfiles() {
    String[] argv = DocumentedArgs.profileArgs("quality", "--data /d --out /tmp/q");

    assertThat(BenchmarkOptions.parse(argv).outDir()).isEqualTo(Path.of("/tmp/q"));
  }

  private static List<String> concat(List<String> list, String more) {
    List<String> all = new ArrayList<>(list);
    all.add(more);
    return all;
  }
}
