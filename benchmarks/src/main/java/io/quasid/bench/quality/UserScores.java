package io.quasid.bench.quality;

/** Recall@10 and NDCG@10 of each test user (tie-aware, see {@link RankingMetrics}). */
public record UserScores(double[] recall10, double[] ndcg10) {

  public static UserScores of(int users) {
    return new UserScores(new double[users], new double[users]);
  }

  public void set(int user, long greater, long ties) {
    recall10[user] = RankingMetrics.recall(greater, ties, 10);
    ndcg10[user] = RankingMetrics.ndcg(greater, ties, 10);
  }
}
