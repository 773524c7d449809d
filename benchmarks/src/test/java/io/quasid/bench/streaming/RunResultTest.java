package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunResultTest {

  private static RunResult run(double steadyRate, long committed, double submitSeconds) {
    return new RunResult(
        "job",
        64,
        committed,
        committed,
        steadyRate,
        1,
        submitSeconds,
        -1,
        Double.NaN,
        List.of(),
        List.of(),
        null,
        null);
  }

  @Test
  void pacesAtTheSteadyRateWhenThereIsOne() {
    assertThat(run(5_000, 1_000, 4).pacingRate()).isEqualTo(5_000);
  }

  @Test
  void aRunCommittedInOneBurstPacesAtItsRateFromSubmission() {
    // --quick: 1,000 items in one commit leave no steady rate; the latency phase paced at NaN/s
    RunResult burst = run(Double.NaN, 1_000, 4);

    assertThat(burst.pacingRate()).isEqualTo(250);
    assertThat(Math.max(1, 0.5 * burst.pacingRate())).isEqualTo(125);
  }
}
