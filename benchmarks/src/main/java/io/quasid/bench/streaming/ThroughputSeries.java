package io.quasid.bench.streaming;

import java.util.Arrays;

/**
 * Events per second over time, in whole-second buckets from a start time: what the throughput chart
 * plots. Committed output arrives in one burst per checkpoint, so the chart smooths over {@code
 * window} seconds.
 */
public final class ThroughputSeries {

  private final long startMillis;
  private long[] counts = new long[64];
  private int last = -1;

  public ThroughputSeries(long startMillis) {
    this.startMillis = startMillis;
  }

  public void add(long atMillis, long n) {
    int second = (int) Math.max(0, (atMillis - startMillis) / 1000);
    if (second >= counts.length) {
      counts = Arrays.copyOf(counts, Math.max(second + 1, counts.length * 2));
    }
    counts[second] += n;
    last = Math.max(last, second);
  }

  /** Seconds covered, up to the last non-empty bucket. */
  public int seconds() {
    return last + 1;
  }

  /**
   * Mean events/s over the {@code window} seconds ending at each second (fewer at the start).
   *
   * @return one value per second of {@link #seconds()}
   */
  public double[] smoothed(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1");
    }
    double[] out = new double[seconds()];
    long sum = 0;
    for (int s = 0; s < out.length; s++) {
      sum += counts[s];
      if (s >= window) {
        sum -= counts[s - window];
      }
      out[s] = (double) sum / Math.min(window, s + 1);
    }
    return out;
  }
}
