package io.quasid.bench.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collaborative pairs as the reference implementation finds them (CollisionGenRec, {@code
 * tokenizer/quasid.py}: {@code build_ppmi_sparse} and the positive of {@code compute_cl_loss}):
 * co-occurrence counts of items at most {@code window} positions apart in a training prefix,
 * counted both ways, turned into positive pointwise mutual information, and for every item with a
 * positive PPMI its partner of highest PPMI. That partner is the reference's contrastive positive;
 * PPMI down-weights popular items, where adjacent pairs follow popularity.
 */
final class PpmiPairs {

  /** The reference's window: items at distance 1 to 3 co-occur. */
  static final int REFERENCE_WINDOW = 3;

  private PpmiPairs() {}

  /**
   * One pair per item with a positive PPMI: {@code {item, its highest-PPMI partner}} (ties: the
   * lower id), in item order. Never touches validation or test items: only the split's training
   * prefixes are read.
   */
  static int[][] argmaxPairs(LeaveOneOutSplit split, int window) {
    return argmaxPairs(split.train(), window);
  }

  static int[][] argmaxPairs(int[][] sequences, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("the PPMI window must be >= 1: " + window);
    }
    // As the reference: every pair within the window counts both ways, an item with itself too
    // (it adds to the item's total), and only other items can be a positive.
    Map<Long, Integer> counts = new HashMap<>();
    Map<Integer, Long> totals = new HashMap<>();
    long all = 0;
    for (int[] seq : sequences) {
      for (int i = 0; i < seq.length; i++) {
        for (int j = i + 1; j <= Math.min(i + window, seq.length - 1); j++) {
          counts.merge(key(seq[i], seq[j]), 1, Integer::sum);
          counts.merge(key(seq[j], seq[i]), 1, Integer::sum);
          totals.merge(seq[i], 1L, Long::sum);
          totals.merge(seq[j], 1L, Long::sum);
          all += 2;
        }
      }
    }
    Map<Integer, double[]> best = new HashMap<>(); // item -> {partner, ppmi}
    for (Map.Entry<Long, Integer> e : counts.entrySet()) {
      int a = (int) (e.getKey() >>> 32);
      int b = (int) (long) e.getKey();
      if (a == b) {
        continue;
      }
      double pmi = Math.log((double) e.getValue() * all / ((double) totals.get(a) * totals.get(b)));
      if (!(pmi > 0)) {
        continue;
      }
      double[] held = best.get(a);
      if (held == null || pmi > held[1] || (pmi == held[1] && b < held[0])) {
        best.put(a, new double[] {b, pmi});
      }
    }
    List<int[]> pairs = new ArrayList<>();
    best.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> pairs.add(new int[] {e.getKey(), (int) e.getValue()[0]}));
    return pairs.toArray(new int[0][]);
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xffffffffL);
  }
}
