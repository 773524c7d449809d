package io.quasid.bench.quality;

import java.util.Arrays;
import java.util.Random;

/**
 * Leave-one-out with cold-start items: a seeded random {@code fraction} of the catalogue is held
 * out of every training sequence and every history, so those items are never seen by the
 * recommender or the tokenizer's collaborative pairs and are known at test time only through their
 * Semantic IDs. Targets are unchanged; users whose test target is a cold item form the cold-start
 * group.
 *
 * @param split the leave-one-out split with cold items removed from {@code train} and {@code
 *     testHistories} (targets kept)
 * @param cold {@code cold[i]}: item i is held out
 */
public record ColdStartSplit(LeaveOneOutSplit split, boolean[] cold) {

  /** Splits {@code sequences} leave-one-out, then removes the cold items from the inputs. */
  public static ColdStartSplit of(int[][] sequences, int numItems, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("cold-start fraction must be in [0, 1): " + fraction);
    }
    boolean[] cold = pickCold(numItems, fraction, seed);
    LeaveOneOutSplit full = LeaveOneOutSplit.of(sequences);
    int users = full.numUsers();
    int[][] train = new int[users][];
    int[][] histories = new int[users][];
    for (int u = 0; u < users; u++) {
      train[u] = withoutCold(full.train()[u], cold);
      histories[u] = withoutCold(full.testHistories()[u], cold);
    }
    return new ColdStartSplit(
        new LeaveOneOutSplit(train, full.validationTargets(), full.testTargets(), histories), cold);
  }

  /** Exactly {@code round(fraction * numItems)} items, a seeded uniform sample. */
  static boolean[] pickCold(int numItems, double fraction, long seed) {
    int[] order = new int[numItems];
    for (int i = 0; i < numItems; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = numItems - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    boolean[] cold = new boolean[numItems];
    int count = (int) Math.round(fraction * numItems);
    for (int i = 0; i < count; i++) {
      cold[order[i]] = true;
    }
    return cold;
  }

  static int[] withoutCold(int[] seq, boolean[] cold) {
    return Arrays.stream(seq).filter(i -> !cold[i]).toArray();
  }

  public int coldItems() {
    int n = 0;
    for (boolean c : cold) {
      n += c ? 1 : 0;
    }
    return n;
  }

  /** {@code true} for each test user whose test target is a cold item. */
  public boolean[] coldTestUsers() {
    int[] targets = split.testTargets();
    boolean[] out = new boolean[targets.length];
    for (int u = 0; u < targets.length; u++) {
      out[u] = cold[targets[u]];
    }
    return out;
  }
}
