package io.quasid.bench.quality;

/** Mean Recall@5/10 and NDCG@5/10 over a set of users. */
public record RankingSummary(double recall5, double recall10, double ndcg5, double ndcg10) {

  /** Accumulates per-user results; {@link #add} takes the target's competitors. */
  public static final class Accumulator {
    private double r5;
    private double r10;
    private double n5;
    private double n10;
    private long users;

    public void add(long greater, long ties) {
      r5 += RankingMetrics.recall(greater, ties, 5);
      r10 += RankingMetrics.recall(greater, ties, 10);
      n5 += RankingMetrics.ndcg(greater, ties, 5);
      n10 += RankingMetrics.ndcg(greater, ties, 10);
      users++;
    }

    public RankingSummary summary() {
      return new RankingSummary(r5 / users, r10 / users, n5 / users, n10 / users);
    }
  }
}
