package io.quasid.bench.quality;

import java.util.Arrays;
import java.util.Random;

/**
 * Percentile bootstrap of the difference of a per-user metric between a row and a baseline,
 * resampling at two levels: test users (the same draw for both sides, so the comparison is paired
 * per user) and tokenizer seeds (a row's independent tokenizer trainings, each already averaged
 * over recommender seeds; paired by index when both sides have the same seeds, drawn independently
 * otherwise). A row's value is the mean over its seeds of the mean over users.
 */
public final class PairedBootstrap {

  /**
   * @param delta row minus baseline on the full sample
   * @param low 2.5th percentile of the bootstrap deltas
   * @param high 97.5th percentile
   */
  public record Interval(double delta, double low, double high, int resamples) {

    /** {@code true} when the whole 95 % interval lies above zero. */
    public boolean above() {
      return low > 0;
    }

    public boolean below() {
      return high < 0;
    }

    /** {@code +0.0012 [-0.0003, +0.0027]}, with a marker when zero is outside. */
    public String format() {
      String mark = above() ? " ▲" : below() ? " ▼" : "";
      return String.format("%+.4f [%+.4f, %+.4f]%s", delta, low, high, mark);
    }
  }

  private final int resamples;
  private final long seed;

  public PairedBootstrap(int resamples, long seed) {
    if (resamples < 10) {
      throw new IllegalArgumentException("need at least 10 bootstrap resamples");
    }
    this.resamples = resamples;
    this.seed = seed;
  }

  /**
   * @param row {@code [seeds][users]} per-user metric of the row
   * @param baseline {@code [seeds][users]} of the baseline, same users in the same order
   * @param pairedSeeds seed s of the row was trained under the same seed as seed s of the baseline
   *     (used only when both have the same number of seeds)
   */
  public Interval delta(double[][] row, double[][] baseline, boolean pairedSeeds) {
    int users = row[0].length;
    for (double[] r : row) {
      check(r.length == users);
    }
    for (double[] b : baseline) {
      check(b.length == users);
    }
    boolean paired = pairedSeeds && row.length == baseline.length;
    double point = meanOfMeans(row) - meanOfMeans(baseline);
    Random random = new Random(seed);
    int[] weight = new int[users];
    double[] rowMeans = new double[row.length];
    double[] baseMeans = new double[baseline.length];
    double[] deltas = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      Arrays.fill(weight, 0);
      for (int k = 0; k < users; k++) {
        weight[random.nextInt(users)]++;
      }
      for (int s = 0; s < row.length; s++) {
        rowMeans[s] = weightedMean(row[s], weight);
      }
      for (int s = 0; s < baseline.length; s++) {
        baseMeans[s] = weightedMean(baseline[s], weight);
      }
      double r = 0;
      double base = 0;
      for (int k = 0; k < row.length; k++) {
        int s = random.nextInt(row.length);
        r += rowMeans[s];
        base += paired ? baseMeans[s] : 0;
      }
      if (!paired) {
        for (int k = 0; k < baseline.length; k++) {
          base += baseMeans[random.nextInt(baseline.length)];
        }
        base /= baseline.length;
      } else {
        base /= row.length;
      }
      deltas[b] = r / row.length - base;
    }
    Arrays.sort(deltas);
    double low = deltas[(int) Math.floor(0.025 * resamples)];
    double high = deltas[(int) Math.ceil(0.975 * resamples) - 1];
    return new Interval(point, low, high, resamples);
  }

  static double meanOfMeans(double[][] values) {
    double total = 0;
    for (double[] v : values) {
      double s = 0;
      for (double x : v) {
        s += x;
      }
      total += s / v.length;
    }
    return total / values.length;
  }

  private static double weightedMean(double[] v, int[] weight) {
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      s += weight[i] * v[i];
    }
    return s / v.length;
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalArgumentException("every seed needs one value per user");
    }
  }
}
