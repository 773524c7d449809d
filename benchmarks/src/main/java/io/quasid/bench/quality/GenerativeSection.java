package io.quasid.bench.quality;

import io.quasid.bench.quality.generative.GenerativeConfig;
import io.quasid.bench.quality.generative.GenerativeRun;
import io.quasid.bench.quality.generative.GenerativeTrainer;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The report's table of the generative recommender for one setting: ranking metrics of the
 * trie-constrained beam, paired-bootstrap deltas against plain RQ-VAE, and the cost.
 */
final class GenerativeSection {

  /** TIGER's Beauty numbers (Rajput et al. 2023, Table 2): R@5, N@5, R@10, N@10. */
  private static final double[] TIGER_BEAUTY = {0.0454, 0.0321, 0.0648, 0.0384};

  private final PairedBootstrap bootstrap;
  private final boolean withProxy;

  GenerativeSection(PairedBootstrap bootstrap, boolean withProxy) {
    this.bootstrap = bootstrap;
    this.withProxy = withProxy;
  }

  void append(StringBuilder md, SettingResult s, GenerativeConfig config) {
    SidRow base = s.baseline();
    int[] users = base.generative().get(0).users();
    boolean[] cold = s.coldStart().coldTestUsers();
    boolean[] coldUsers = new boolean[users.length];
    int coldCount = 0;
    for (int i = 0; i < users.length; i++) {
      coldUsers[i] = cold[users[i]];
      coldCount += coldUsers[i] ? 1 : 0;
    }
    md.append("### Generative recommender, ").append(s.title()).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%d test users%s (%d with a cold-start target). One training per SID set (seed 1;"
                + " mean over tokenizer seeds where a row has several). Top %d of a beam of %d,"
                + " restricted to the catalogue's SIDs; a target outside the top %d scores 0."
                + " Δ: paired bootstrap over the same users (and tokenizer seeds) against plain"
                + " RQ-VAE. Losses: cross-entropy per SID token over the tokens that continue a"
                + " valid SID, in nats (first tokenizer seed; validation on a fixed sample of up"
                + " to %,d users). Times are wall-clock per run, with other runs beside it on"
                + " the pool.%n%n",
            users.length,
            users.length < s.coldStart().split().numUsers()
                ? String.format(
                    Locale.ROOT, " (a seeded sample of %d)", s.coldStart().split().numUsers())
                : "",
            coldCount,
            config.topK(),
            config.beamWidth(),
            config.topK(),
            GenerativeTrainer.VALIDATION_USERS));
    md.append(
        "| SIDs | collision rate | Recall@5 | Recall@10 | NDCG@5 | NDCG@10 | Δ NDCG@10 vs RQ-VAE |"
            + " Δ Recall@10 vs RQ-VAE | cold-target Recall@10 |"
            + (withProxy ? " proxy NDCG@10 |" : "")
            + " train loss by epoch | validation loss by epoch | train / decode time |\n");
    md.append(
        "|---|---|---|---|---|---|---|---|---|" + (withProxy ? "---|" : "") + "---|---|---|\n");
    for (SidRow r : s.rows()) {
      boolean isBase = r == base;
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %s | %s | %s |%s %s | %s | %s / %s |%n",
              r.name(),
              r.overSeeds(r.metrics(256), SidMetrics::collisionRate).mean(),
              mean(r, RankingSummary::recall5),
              mean(r, RankingSummary::recall10),
              mean(r, RankingSummary::ndcg5),
              mean(r, RankingSummary::ndcg10),
              isBase ? "(baseline)" : delta(r, base, UserScores::ndcg10).format(),
              isBase ? "(baseline)" : delta(r, base, UserScores::recall10).format(),
              coldCount == 0 ? "–" : String.format(Locale.ROOT, "%.4f", coldMean(r, coldUsers)),
              withProxy
                  ? String.format(Locale.ROOT, " %.4f |", r.test(RankingSummary::ndcg10).mean())
                  : "",
              curve(r, GenerativeRun::epochLoss),
              curve(r, GenerativeRun::validationLoss),
              Progress.duration(
                  r.generative().stream()
                      .mapToDouble(GenerativeRun::trainSeconds)
                      .average()
                      .orElse(0)),
              Progress.duration(
                  r.generative().stream()
                      .mapToDouble(GenerativeRun::decodeSeconds)
                      .average()
                      .orElse(0))));
    }
    if (s.dataset().equals(BenchmarkOptions.BEAUTY)) {
      md.append(
          String.format(
              Locale.ROOT,
              "%nTIGER on Beauty (Rajput et al. 2023; SIDs of 3 × 256 codes plus a dedup token from"
                  + " Sentence-T5 text embeddings, ~13M-parameter encoder-decoder, no cold-start"
                  + " items):"
                  + " Recall@5 %.4f, NDCG@5 %.4f, Recall@10 %.4f, NDCG@10 %.4f. Here: %,d"
                  + " parameters, SIDs of the 64-d S3-Rec vectors.%n",
              TIGER_BEAUTY[0],
              TIGER_BEAUTY[1],
              TIGER_BEAUTY[2],
              TIGER_BEAUTY[3],
              base.generative().get(0).parameterCount()));
    }
    md.append('\n');
  }

  private static double mean(SidRow r, ToDoubleFunction<RankingSummary> metric) {
    return r.generative().stream().map(GenerativeRun::test).mapToDouble(metric).average().orElse(0);
  }

  private static double coldMean(SidRow r, boolean[] coldUsers) {
    return r.generative().stream()
        .mapToDouble(
            run -> {
              double sum = 0;
              int n = 0;
              for (int i = 0; i < coldUsers.length; i++) {
                if (coldUsers[i]) {
                  sum += run.testScores().recall10()[i];
                  n++;
                }
              }
              return sum / n;
            })
        .average()
        .orElse(0);
  }

  private PairedBootstrap.Interval delta(
      SidRow row, SidRow base, Function<UserScores, double[]> metric) {
    return bootstrap.delta(perUser(row, metric), perUser(base, metric), row.variant() != null);
  }

  /** {@code [tokenizer seed][user]}. */
  private static double[][] perUser(SidRow r, Function<UserScores, double[]> metric) {
    return r.generative().stream()
        .map(run -> metric.apply(run.testScores()))
        .toArray(double[][]::new);
  }

  /** The first tokenizer seed's per-epoch values, {@code 5.12 → 4.80 → 4.71}. */
  private static String curve(SidRow r, Function<GenerativeRun, double[]> values) {
    return Arrays.stream(values.apply(r.generative().get(0)))
        .mapToObj(v -> String.format(Locale.ROOT, "%.3f", v))
        .collect(Collectors.joining(" → "));
  }
}
