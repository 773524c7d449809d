package io.quasid.job.training;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Quality numbers of a set of SIDs: collision rate ((N - distinct full SIDs) / N), and per level
 * the code utilisation (used codes / K) and perplexity (exp of the entropy of code usage).
 */
record CodeUsageStats(double collisionRate, double[] utilisation, double[] perplexity) {

  static CodeUsageStats of(int[][] codes, int levels, int codebookSize) {
    double[] utilisation = new double[levels];
    double[] perplexity = new double[levels];
    if (codes.length == 0) {
      return new CodeUsageStats(0, utilisation, perplexity);
    }
    Set<String> distinct = new HashSet<>();
    for (int[] sid : codes) {
      distinct.add(Arrays.toString(sid));
    }
    for (int l = 0; l < levels; l++) {
      long[] counts = new long[codebookSize];
      for (int[] sid : codes) {
        counts[sid[l]]++;
      }
      int used = 0;
      double entropy = 0;
      for (long c : counts) {
        if (c > 0) {
          used++;
          double p = (double) c / codes.length;
          entropy -= p * Math.log(p);
        }
      }
      utilisation[l] = (double) used / codebookSize;
      perplexity[l] = Math.exp(entropy);
    }
    double collisionRate = (double) (codes.length - distinct.size()) / codes.length;
    return new CodeUsageStats(collisionRate, utilisation, perplexity);
  }
}
