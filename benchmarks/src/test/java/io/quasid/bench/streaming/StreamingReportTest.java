package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingReportTest {

  private static RunResult run(String job, double itemsPerSecond) {
    return run(job, itemsPerSecond, Double.NaN);
  }

  private static RunResult run(String job, double itemsPerSecond, double interactionsPerSecond) {
    return new RunResult(
        job,
        64,
        1000,
        1000,
        itemsPerSecond,
        10,
        12,
        Double.isNaN(interactionsPerSecond) ? -1 : 5000,
        interactionsPerSecond,
        List.of(0L),
        List.of(),
        new ThroughputSeries(0),
        DeadLetterSummary.NONE);
  }

  @Test
  void theMedianPassThroughRunIsTheBaselineOfEveryRatio() {
    StreamingReport report =
        new StreamingReport(StreamingSettings.parse(new String[] {"--items-768", "0"}));
    report.run(run(StreamingBenchmark.PASS_THROUGH, 200_000));
    report.run(run(StreamingBenchmark.PASS_THROUGH, 50_000));
    report.run(run(StreamingBenchmark.PASS_THROUGH, 100_000));
    report.run(run(StreamingBenchmark.TRAINING_OFF, 25_000));

    String md = report.markdown("chart.png");

    assertThat(md)
        .contains(
            "| 64 | pass-through | 1,000 | 100,000 | baseline (median of 3 runs with a rate) |")
        .contains("| 64 | pass-through | 1,000 | 200,000 | 200% of the baseline |")
        .contains("| 64 | pass-through | 1,000 | 50,000 | 50% of the baseline |")
        .contains("| 64 | QuaSID, training off | 1,000 | 25,000 | 25% of pass-through |")
        .contains("25% (25,000 vs 100,000 items/s, the median pass-through run)");
  }

  @Test
  void aRatioToARunWithoutASteadyRateIsADashNotNaN() {
    StreamingReport report =
        new StreamingReport(StreamingSettings.parse(new String[] {"--items-768", "0"}));
    report.run(run(StreamingBenchmark.PASS_THROUGH, Double.NaN));
    report.run(run(StreamingBenchmark.TRAINING_OFF, 25_000));

    assertThat(report.markdown("chart.png"))
        .contains("| 64 | QuaSID, training off | 1,000 | 25,000 | - of pass-through |")
        .doesNotContain("NaN%");

    report.run(run(StreamingBenchmark.PASS_THROUGH, 50_000));
    report.run(run(StreamingBenchmark.PASS_THROUGH, Double.NaN));
    assertThat(report.markdown("chart.png"))
        .as("the median of the runs with a rate")
        .contains("| 64 | QuaSID, training off | 1,000 | 25,000 | 50% of pass-through |");
  }

  @Test
  void theJobsInteractionsAreComparedWithTheInteractionsPassThrough() {
    StreamingReport report =
        new StreamingReport(StreamingSettings.parse(new String[] {"--items-768", "0"}));
    report.run(run(StreamingBenchmark.PASS_THROUGH, 100_000));
    report.run(run(StreamingBenchmark.TRAINING_OFF, 25_000));
    report.run(run(StreamingBenchmark.PASS_THROUGH_INTERACTIONS, 80_000, 60_000));
    report.run(run(StreamingBenchmark.TRAINING_OFF_INTERACTIONS, 20_000, 12_000));

    assertThat(report.markdown("chart.png"))
        .as("the interactions pass-through is no items baseline")
        .contains("| 64 | pass-through, with interactions | 1,000 | 80,000 | 80% of pass-through;")
        .contains("interactions/s 20% of pass-through's")
        .contains(
            "| interactions, training off >= 35% of an interactions pass-through's interactions/s"
                + " (64-d; issue 22) | 20% (12,000 vs 60,000 interactions/s) | **not met** |");
  }
}
