package io.quasid.bench.quality;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One row of the report: a set of Semantic IDs for the catalogue, how it was made and what the
 * downstream recommender made of it.
 *
 * @param tokenizer cost and curves when produced by this run, {@code null} for published SIDs
 * @param runs one recommender run per seed
 */
public record SidRow(
    String name,
    String source,
    SidMetrics metrics,
    TokenizerOutcome tokenizer,
    List<RecommenderRun> runs) {

  public MeanStd test(ToDoubleFunction<RankingSummary> metric) {
    return MeanStd.of(runs.stream().map(RecommenderRun::test).mapToDouble(metric).toArray());
  }

  public MeanStd validation(ToDoubleFunction<RankingSummary> metric) {
    return MeanStd.of(runs.stream().map(RecommenderRun::validation).mapToDouble(metric).toArray());
  }
}
