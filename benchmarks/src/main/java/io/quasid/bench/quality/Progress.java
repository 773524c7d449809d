package io.quasid.bench.quality;

import java.io.PrintStream;

/** Prints one progress line per event with an ETA extrapolated from the elapsed time. */
public final class Progress {

  private final PrintStream out;
  private final String task;
  private final long total;
  private final long startNanos = System.nanoTime();

  public Progress(PrintStream out, String task, long total) {
    this.out = out;
    this.task = task;
    this.total = total;
  }

  public synchronized void report(long done, String detail) {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    double eta = done == 0 ? Double.NaN : elapsed * (total - done) / done;
    out.printf(
        "[%s] %d/%d %s | elapsed %s, ETA %s%n",
        task, done, total, detail, duration(elapsed), duration(eta));
    out.flush();
  }

  public static String duration(double seconds) {
    if (Double.isNaN(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
  }
}
