package io.quasid.bench.quality;

import io.quasid.bench.quality.generative.GenerativeRun;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One row of a setting's report: Semantic IDs for the catalogue from one tokenizer (trained under
 * several tokenizer seeds, or one published index), and what the downstream recommender made of
 * each under several recommender seeds.
 *
 * @param tokenizers per tokenizer seed, cost, curves and tier counts; empty for published SIDs
 * @param codes per tokenizer seed, {@code [items][levels]}
 * @param runs per tokenizer seed, one recommender run per recommender seed (none when the proxy
 *     recommender does not run)
 * @param generative per tokenizer seed, one generative recommender run; empty when it does not run
 */
public record SidRow(
    String name,
    String source,
    TokenizerVariant variant,
    List<TokenizerOutcome> tokenizers,
    List<int[][]> codes,
    List<List<RecommenderRun>> runs,
    List<GenerativeRun> generative) {

  /** SID metrics of each tokenizer seed. */
  public List<SidMetrics> metrics(int codebookSize) {
    return codes.stream().map(c -> SidMetrics.of(c, codebookSize)).toList();
  }

  public MeanStd overSeeds(List<SidMetrics> metrics, ToDoubleFunction<SidMetrics> f) {
    return MeanStd.of(metrics.stream().mapToDouble(f).toArray());
  }

  /** Mean ± std over every (tokenizer seed, recommender seed) run. */
  public MeanStd test(ToDoubleFunction<RankingSummary> metric) {
    return MeanStd.of(allRuns().stream().map(RecommenderRun::test).mapToDouble(metric).toArray());
  }

  public MeanStd validation(ToDoubleFunction<RankingSummary> metric) {
    return MeanStd.of(
        allRuns().stream().map(RecommenderRun::validation).mapToDouble(metric).toArray());
  }

  public List<RecommenderRun> allRuns() {
    return runs.stream().flatMap(List::stream).toList();
  }

  /**
   * {@code [tokenizer seed][selected user]}: a per-user score averaged over the recommender seeds
   * of each tokenizer seed, for the users where {@code users[u]} holds.
   */
  public double[][] perUser(
      Function<RecommenderRun, UserScores> scorer,
      Function<UserScores, double[]> metric,
      boolean[] users) {
    int selected = 0;
    for (boolean b : users) {
      selected += b ? 1 : 0;
    }
    double[][] out = new double[runs.size()][selected];
    for (int s = 0; s < runs.size(); s++) {
      for (RecommenderRun run : runs.get(s)) {
        double[] v = metric.apply(scorer.apply(run));
        for (int u = 0, k = 0; u < v.length; u++) {
          if (users[u]) {
            out[s][k++] += v[u] / runs.get(s).size();
          }
        }
      }
    }
    return out;
  }

  /** Mean over seeds and selected users of a per-user score. */
  public double mean(
      Function<RecommenderRun, UserScores> scorer,
      Function<UserScores, double[]> metric,
      boolean[] users) {
    return PairedBootstrap.meanOfMeans(perUser(scorer, metric, users));
  }

  /** Tier counts averaged over tokenizer seeds, {@code null} for untrained or published rows. */
  public TokenizerOutcome.TierCounts tiers() {
    List<TokenizerOutcome.TierCounts> t =
        tokenizers.stream().map(TokenizerOutcome::tiers).filter(x -> x != null).toList();
    if (t.isEmpty()) {
      return null;
    }
    return new TokenizerOutcome.TierCounts(
        t.stream().mapToDouble(TokenizerOutcome.TierCounts::meanFull).average().orElse(0),
        t.stream().mapToDouble(TokenizerOutcome.TierCounts::meanPartial).average().orElse(0),
        t.stream().mapToDouble(TokenizerOutcome.TierCounts::stepsWithFull).average().orElse(0),
        t.stream().mapToDouble(TokenizerOutcome.TierCounts::stepsWithPartial).average().orElse(0));
  }

  static boolean[] all(int users) {
    boolean[] b = new boolean[users];
    Arrays.fill(b, true);
    return b;
  }
}
