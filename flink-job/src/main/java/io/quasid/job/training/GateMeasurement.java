package io.quasid.job.training;

import io.quasid.model.SidTokenizer;
import java.util.Arrays;

/**
 * What the {@link QualityGate} measures of one model: its codes on the gate's item sample (for
 * collisions and churn) and its co-engagement coherence on the gate's pair sample.
 *
 * @param codes codes of the gate's items, in sample order
 * @param usage collisions, utilisation and perplexity of {@code codes}
 * @param coherence share of co-engaged pairs whose SIDs share their first {@link #COHERENCE_LEVELS}
 *     codes (fewer when the model has fewer levels); NaN without pairs
 */
record GateMeasurement(int[][] codes, CodeUsageStats usage, double coherence) {

  /** Levels two co-engaged items should share: coarse enough to be a real signal. */
  static final int COHERENCE_LEVELS = 2;

  static GateMeasurement of(
      SidTokenizer model, float[][] items, float[][] pairTriggers, float[][] pairTargets) {
    int[][] codes = items.length == 0 ? new int[0][] : model.encode(items).codes();
    CodeUsageStats usage = CodeUsageStats.of(codes, model.levels(), model.codebookSize());
    double coherence = Double.NaN;
    if (pairTriggers.length > 0) {
      int[][] a = model.encode(pairTriggers).codes();
      int[][] b = model.encode(pairTargets).codes();
      coherence = coherence(a, b, Math.min(COHERENCE_LEVELS, model.levels()));
    }
    return new GateMeasurement(codes, usage, coherence);
  }

  static double coherence(int[][] a, int[][] b, int levels) {
    long shared = 0;
    for (int i = 0; i < a.length; i++) {
      if (Arrays.equals(a[i], 0, levels, b[i], 0, levels)) {
        shared++;
      }
    }
    return a.length == 0 ? Double.NaN : shared / (double) a.length;
  }

  /** Share of the sample's items whose code tuple differs between this model and {@code live}. */
  double churnAgainst(GateMeasurement live) {
    if (codes.length == 0) {
      return 0;
    }
    long changed = 0;
    for (int i = 0; i < codes.length; i++) {
      if (!Arrays.equals(codes[i], live.codes[i])) {
        changed++;
      }
    }
    return changed / (double) codes.length;
  }
}
