package io.quasid.bench.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores cold-start items through the structure of their Semantic IDs. A cold item's deepest codes
 * may belong to no item the recommender was trained on, so their embeddings are untrained noise.
 * This scorer finds the longest prefix {@code (c_1..c_p)} of the cold item's SID that some warm
 * (trained) item shares, and gives the cold item the mean logit of those warm items. Since the
 * recommender's logit is a sum over levels, that is the cold item's own score on its prefix plus
 * the expected deeper-level score of a warm item under the same prefix: the prefix's learned
 * embeddings carry the signal, the untrained tail is replaced by its siblings'. With {@code p = 0}
 * the mean is over all warm items; with {@code p = L} (a full collision with warm items) the score
 * is exactly theirs. Warm items keep their logits.
 */
public final class PrefixScorer {

  private final int[] coldItems;
  private final int[] groupOfCold;
  private final int[][] groupMembers;
  private final int[] prefixLength;
  private final double[] groupScore;

  /**
   * @param codes {@code [items][levels]}
   * @param cold items held out of training
   */
  public PrefixScorer(int[][] codes, boolean[] cold) {
    int levels = codes.length == 0 ? 0 : codes[0].length;
    List<Map<PrefixKey, List<Integer>>> warmByPrefix = new ArrayList<>();
    for (int p = 0; p <= levels; p++) {
      warmByPrefix.add(new HashMap<>());
    }
    for (int i = 0; i < codes.length; i++) {
      if (!cold[i]) {
        for (int p = 0; p <= levels; p++) {
          warmByPrefix
              .get(p)
              .computeIfAbsent(new PrefixKey(codes[i], p), k -> new ArrayList<>())
              .add(i);
        }
      }
    }
    List<Integer> coldList = new ArrayList<>();
    for (int i = 0; i < codes.length; i++) {
      if (cold[i]) {
        coldList.add(i);
      }
    }
    this.coldItems = coldList.stream().mapToInt(Integer::intValue).toArray();
    this.groupOfCold = new int[coldItems.length];
    this.prefixLength = new int[coldItems.length];
    Map<PrefixKey, Integer> groupIds = new HashMap<>();
    List<int[]> members = new ArrayList<>();
    for (int c = 0; c < coldItems.length; c++) {
      int[] sid = codes[coldItems[c]];
      int p = levels;
      while (p > 0 && !warmByPrefix.get(p).containsKey(new PrefixKey(sid, p))) {
        p--;
      }
      PrefixKey key = new PrefixKey(sid, p);
      List<Integer> warm = warmByPrefix.get(p).get(key);
      prefixLength[c] = warm == null ? 0 : p;
      int[] m = warm == null ? new int[0] : warm.stream().mapToInt(Integer::intValue).toArray();
      Integer g = groupIds.get(key);
      if (g == null) {
        g = members.size();
        groupIds.put(key, g);
        members.add(m);
      }
      groupOfCold[c] = g;
    }
    this.groupMembers = members.toArray(new int[0][]);
    this.groupScore = new double[groupMembers.length];
  }

  /** Rewrites the logits of the cold items in place (no-op without cold items). Not thread-safe. */
  public void apply(double[] logits) {
    for (int g = 0; g < groupMembers.length; g++) {
      int[] m = groupMembers[g];
      if (m.length == 0) {
        groupScore[g] = Double.NEGATIVE_INFINITY;
        continue;
      }
      double first = logits[m[0]];
      boolean same = true;
      double sum = 0;
      for (int j : m) {
        sum += logits[j];
        same &= logits[j] == first;
      }
      // Identical logits (a full SID shared with warm items) stay bit-identical: exact ties.
      groupScore[g] = same ? first : sum / m.length;
    }
    for (int c = 0; c < coldItems.length; c++) {
      logits[coldItems[c]] = groupScore[groupOfCold[c]];
    }
  }

  public boolean hasColdItems() {
    return coldItems.length > 0;
  }

  /** Histogram of the shared prefix length p over cold items, index 0..levels. */
  public int[] prefixLengthHistogram(int levels) {
    int[] h = new int[levels + 1];
    for (int p : prefixLength) {
      h[p]++;
    }
    return h;
  }

  private record PrefixKey(int length, int[] codes) {
    PrefixKey(int[] sid, int length) {
      this(length, Arrays.copyOf(sid, length));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PrefixKey k && k.length == length && Arrays.equals(k.codes, codes);
    }

    @Override
    public int hashCode() {
      return 31 * length + Arrays.hashCode(codes);
    }
  }
}
