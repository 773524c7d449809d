package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.bench.DocumentedArgs;
import io.quasid.bench.HelpText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrowthSettingsTest {

  @Test
  void beautyIsTheDefaultAndEachDatasetWritesItsOwnReport() {
    GrowthSettings beauty = GrowthSettings.parse(new String[0]);
    GrowthSettings scientific = GrowthSettings.parse(new String[] {"--dataset", "scientific"});

    assertThat(beauty.dataset()).isEqualTo(GrowthSettings.Dataset.BEAUTY);
    assertThat(beauty.stem()).isEqualTo("catalogue-growth");
    assertThat(scientific.dataset()).isEqualTo(GrowthSettings.Dataset.SCIENTIFIC);
    assertThat(scientific.stem()).isEqualTo("catalogue-growth-scientific");
    assertThat(GrowthSettings.parse(new String[] {"--quick", "--dataset", "scientific"}).stem())
        .isEqualTo("catalogue-growth-quick-scientific");
  }

  @Test
  void anUnknownDatasetIsRefused() {
    assertThatThrownBy(() -> GrowthSettings.parse(new String[] {"--dataset", "books"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'--dataset'");
  }

  @Test
  void quickShrinksWhatNoFlagSets() {
    GrowthSettings full = GrowthSettings.parse(new String[0]);
    GrowthSettings quick = GrowthSettings.parse(new String[] {"--quick"});
    GrowthSettings set =
        GrowthSettings.parse(
            new String[] {
              "--quick", "--users", "0", "--seeds", "2", "--offline-steps", "5", "--rec-epochs", "0"
            });

    assertThat(List.of(full.users(), full.seeds(), full.offlineSteps(), full.recEpochs()))
        .containsExactly(0, 3, 1000, 3);
    assertThat(List.of(quick.users(), quick.seeds(), quick.offlineSteps(), quick.recEpochs()))
        .containsExactly(800, 1, 30, 1);
    assertThat(List.of(set.users(), set.seeds(), set.offlineSteps(), set.recEpochs()))
        .containsExactly(0, 2, 5, 0);
    assertThat(full.startFraction()).isEqualTo(0.25);
    assertThat(full.checkpoints()).isEqualTo(10);
    assertThat(full.retrainEvery()).isEqualTo(1);
    assertThat(full.churnPolicy()).hasToString("KEEP");
    assertThat(full.anchorWeight()).isEqualTo(10);
    assertThat(full.fineTuneRate()).isZero();
    assertThat(full.arms()).isEqualTo("abcdefg");
    assertThat(full.out()).isEqualTo(Path.of("benchmarks", "results"));
  }

  @Test
  void flagsParseAsBefore() {
    GrowthSettings s =
        GrowthSettings.parse(
            new String[] {
              "--dataset", "SCIENTIFIC", "--churn-policy", "BUDGET:605:0.0", "--arms", "ABefg",
              "--anchor", "1000", "--fine-tune-lr", "1e-4", "--start-fraction", "0.5",
              "--checkpoints", "4", "--retrain-every", "2", "--out", "/tmp/g"
            });

    assertThat(s.dataset()).isEqualTo(GrowthSettings.Dataset.SCIENTIFIC);
    assertThat(s.churnPolicy()).hasToString("BUDGET:605:0.0");
    assertThat(s.arms()).isEqualTo("abefg");
    assertThat(s.runs(GrowthArm.FROZEN)).isTrue();
    assertThat(s.anchorWeight()).isEqualTo(1000);
    assertThat(s.fineTuneRate()).isEqualTo(1e-4);
    assertThat(s.startFraction()).isEqualTo(0.5);
    assertThat(s.checkpoints()).isEqualTo(4);
    assertThat(s.retrainEvery()).isEqualTo(2);
    assertThat(s.out()).isEqualTo(Path.of("/tmp/g"));
  }

  @Test
  void aChurnBudgetMayBeAShareOfTheHeldItems() {
    GrowthSettings s =
        GrowthSettings.parse(new String[] {"--churn-policy", "BUDGET:10%:0.0", "--arms", "abe"});

    assertThat(s.churnPolicy()).hasToString("BUDGET:10%:0.0");
    assertThat(s.churnPolicy().budgetCap(4344, 1, 1)).isEqualTo(434);
  }

  @Test
  void refusedValuesNameTheirFlag() {
    for (String[] bad :
        List.of(
            new String[] {"--users", "-1"},
            new String[] {"--seeds", "0"},
            new String[] {"--checkpoints", "0"},
            new String[] {"--offline-steps", "-1"},
            new String[] {"--rec-epochs", "-1"},
            new String[] {"--retrain-every", "0"},
            new String[] {"--anchor", "-1"},
            new String[] {"--budget-rank", "popularity"},
            new String[] {"--fine-tune-lr", "-1"},
            new String[] {"--start-fraction", "1"},
            new String[] {"--churn-policy", "SOMETIMES"},
            new String[] {"--churn-policy", "BUDGET:0%:0.0"},
            new String[] {"--churn-policy", "BUDGET:101%:0.0"},
            new String[] {"--seeds", "three"})) {
      assertThatThrownBy(() -> GrowthSettings.parse(bad))
          .as(String.join(" ", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad[0]);
    }
  }

  @Test
  void helpDescribesEveryFlag() {
    assertThat(HelpText.of(new GrowthFlags()))
        .contains("Usage: CatalogueGrowthBenchmark")
        .contains("--churn-policy")
        .contains("10%");
  }

  @Test
  void anUnknownFlagFailsWithPicocliMessageAndTheUsage() {
    assertThatThrownBy(() -> GrowthSettings.parse(new String[] {"--user", "10"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown option")
        .hasMessageContaining("'--user'")
        .hasMessageContaining("Possible solutions: --users")
        .hasMessageContaining("Usage: CatalogueGrowthBenchmark");
    assertThatThrownBy(() -> GrowthSettings.parse(new String[] {"--arms"}))
        .hasMessageContaining("Missing required parameter for option '--arms'");
  }

  @Test
  void everyDocumentedProfileArgsParse() {
    List<String> examples = new ArrayList<>(DocumentedArgs.examples("growth"));
    assertThat(examples).hasSizeGreaterThanOrEqualTo(10);
    examples.add("");
    for (String args : examples) {
      String[] argv = DocumentedArgs.profileArgs("growth", args);
      assertThat(DocumentedArgs.parse(new GrowthFlags(), argv, args)).as(args).isTrue();
    }
    GrowthSettings last =
        GrowthSettings.parse(DocumentedArgs.profileArgs("growth", "--quick --out /tmp/growthb"));
    assertThat(last.out()).isEqualTo(Path.of("/tmp/growthb"));
  }
}
