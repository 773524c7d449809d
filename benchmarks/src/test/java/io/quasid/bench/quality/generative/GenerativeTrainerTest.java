package io.quasid.bench.quality.generative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quasid.bench.quality.LeaveOneOutSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GenerativeTrainerTest {

  @Test
  void scoresTheSampledTestUsersWithTheProxysConventions() {
    Random random = new Random(6);
    int items = 50;
    int[][] codes = new int[items][];
    for (int i = 0; i < items; i++) {
      codes[i] = new int[] {i % 7, i / 7};
    }
    int[][] sequences = new int[120][];
    for (int u = 0; u < sequences.length; u++) {
      sequences[u] = random.ints(3 + random.nextInt(5), 0, items).toArray();
    }
    LeaveOneOutSplit split = LeaveOneOutSplit.of(sequences);
    GenerativeConfig config = GenerativeConfig.standard(4, 32, 2, 1e-3, 10, 40);
    GenerativeTrainer trainer = new GenerativeTrainer(split, config, 1);
    List<String> lines = new ArrayList<>();

    GenerativeRun run = trainer.run(codes, 8, 3, lines::add);

    assertThat(run.users()).hasSize(40).isSorted().doesNotHaveDuplicates();
    assertThat(run.users()).containsExactly(new GenerativeTrainer(split, config, 1).users());
    assertThat(run.epochLoss()).hasSize(2);
    assertThat(run.validationLoss()).hasSize(2);
    assertThat(Arrays.stream(run.validationLoss()).boxed().toList())
        .allSatisfy(l -> assertThat(l).isPositive().isFinite());
    assertThat(lines).hasSize(2);
    assertThat(run.testScores().ndcg10()).hasSize(40);
    // The summary is the mean of the per-user scores the bootstrap resamples.
    assertThat(run.test().ndcg10())
        .isCloseTo(Arrays.stream(run.testScores().ndcg10()).average().orElseThrow(), within(1e-12));
    assertThat(run.test().recall10())
        .isCloseTo(
            Arrays.stream(run.testScores().recall10()).average().orElseThrow(), within(1e-12));
    // One relevant item, no ties: a hit at rank r < 10 scores Recall 1 and NDCG 1/log2(r + 2), a
    // miss 0 and 0.
    for (int i = 0; i < 40; i++) {
      double n = run.testScores().ndcg10()[i];
      assertThat(run.testScores().recall10()[i]).isEqualTo(n > 0 ? 1.0 : 0.0);
      if (n > 0) {
        double rank = Math.pow(2, 1 / n) - 2;
        assertThat(rank).isCloseTo(Math.rint(rank), within(1e-9)).isBetween(-1e-9, 9 + 1e-9);
      }
    }
    assertThat(run.test().recall5()).isLessThanOrEqualTo(run.test().recall10());
  }

  @Test
  void samplesWithoutReplacementOrTakesEveryone() {
    assertThat(GenerativeTrainer.sample(5, 0, new Random(1))).containsExactly(0, 1, 2, 3, 4);
    assertThat(GenerativeTrainer.sample(5, 9, new Random(1))).containsExactly(0, 1, 2, 3, 4);
    int[] s = GenerativeTrainer.sample(100, 10, new Random(1));
    assertThat(s).hasSize(10).isSorted().doesNotHaveDuplicates();
    assertThat(Arrays.stream(s).boxed().toList()).allSatisfy(u -> assertThat(u).isBetween(0, 99));
  }
}
