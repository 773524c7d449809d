package io.quasid.bench.quality;

import java.util.HashMap;
import java.util.Map;

/**
 * Catalogue-level Semantic-ID statistics, computed over all items at once.
 *
 * @param items catalogue size N
 * @param distinctSids number of distinct full SIDs (all levels)
 * @param collidingItems {@code N - distinctSids}: items that would need a dedup suffix
 * @param itemsInSharedSids items whose full SID is shared with at least one other item
 * @param largestBucket most items sharing one full SID
 * @param compositionEntropy {@code -sum p(s) ln p(s)} over full SIDs, in nats (max {@code ln N})
 * @param utilisation per level, used codes / codebook size
 * @param perplexity per level, {@code exp} of the entropy of code usage
 */
public record SidMetrics(
    int items,
    int distinctSids,
    int collidingItems,
    int itemsInSharedSids,
    int largestBucket,
    double compositionEntropy,
    double[] utilisation,
    double[] perplexity) {

  /** Collision rate as defined by LETTER: {@code (N - distinct full SIDs) / N}. */
  public double collisionRate() {
    return (double) collidingItems / items;
  }

  public double distinctRatio() {
    return (double) distinctSids / items;
  }

  /** How many of the {@code selected} items share their full SID with at least one other item. */
  public static int sharingItems(int[][] codes, boolean[] selected) {
    Map<CodeTuple, Integer> buckets = new HashMap<>();
    for (int[] sid : codes) {
      buckets.merge(new CodeTuple(sid), 1, Integer::sum);
    }
    int sharing = 0;
    for (int i = 0; i < codes.length; i++) {
      if (selected[i] && buckets.get(new CodeTuple(codes[i])) > 1) {
        sharing++;
      }
    }
    return sharing;
  }

  public static SidMetrics of(int[][] codes, int codebookSize) {
    int n = codes.length;
    int levels = codes[0].length;
    Map<CodeTuple, Integer> buckets = new HashMap<>();
    for (int[] sid : codes) {
      buckets.merge(new CodeTuple(sid), 1, Integer::sum);
    }
    int shared = 0;
    int largest = 0;
    double entropy = 0;
    for (int size : buckets.values()) {
      if (size > 1) {
        shared += size;
      }
      largest = Math.max(largest, size);
      double p = (double) size / n;
      entropy -= p * Math.log(p);
    }
    double[] utilisation = new double[levels];
    double[] perplexity = new double[levels];
    for (int l = 0; l < levels; l++) {
      int[] counts = new int[codebookSize];
      for (int[] sid : codes) {
        counts[sid[l]]++;
      }
      int used = 0;
      double h = 0;
      for (int c : counts) {
        if (c > 0) {
          used++;
          double p = (double) c / n;
          h -= p * Math.log(p);
        }
      }
      utilisation[l] = (double) used / codebookSize;
      perplexity[l] = Math.exp(h);
    }
    int distinct = buckets.size();
    return new SidMetrics(
        n, distinct, n - distinct, shared, largest, entropy, utilisation, perplexity);
  }

  /** Code usage counts of one level, for plots. */
  public static int[] levelCounts(int[][] codes, int level, int codebookSize) {
    int[] counts = new int[codebookSize];
    for (int[] sid : codes) {
      counts[sid[level]]++;
    }
    return counts;
  }
}
