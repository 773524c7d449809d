package io.quasid.bench.quality;

/** Mean and sample standard deviation (n - 1; 0 for a single value). */
public record MeanStd(double mean, double std, int n) {

  public static MeanStd of(double[] values) {
    int n = values.length;
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= n;
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    return new MeanStd(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n);
  }

  /** {@code 0.0454 ± 0.0012}. */
  public String format() {
    return String.format("%.4f ± %.4f", mean, std);
  }
}
