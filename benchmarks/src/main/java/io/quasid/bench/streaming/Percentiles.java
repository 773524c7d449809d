package io.quasid.bench.streaming;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample of longs (milliseconds here). */
public final class Percentiles {

  private final long[] sorted;

  public Percentiles(long[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  public int count() {
    return sorted.length;
  }

  /**
   * The nearest-rank {@code q}-quantile: the smallest value with at least {@code q} of the sample
   * at or below it; -1 for an empty sample.
   *
   * @param q in (0, 1]
   */
  public long quantile(double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in (0, 1], got " + q);
    }
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  public long max() {
    return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
  }
}
