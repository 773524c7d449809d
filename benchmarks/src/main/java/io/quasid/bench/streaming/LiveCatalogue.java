package io.quasid.bench.streaming;

import io.quasid.bench.quality.SidMetrics;
import io.quasid.model.QuasidModel;

/**
 * What every arm is measured on: the replay, which items are start items, the held-out co-engaged
 * pairs (each user's validation and test item, never streamed as a pair) and a fixed seed for the
 * random-pair baseline.
 */
final class LiveCatalogue {

  /** Random pairs drawn per measurement for the coherence baseline. */
  static final int RANDOM_PAIRS = 10_000;

  private final float[][] vectors;
  private final StreamReplay replay;
  private final boolean[] startItems;
  private final int[][] heldOutPairs;
  private final int[][] lateHeldOutPairs;
  private final long randomSeed;

  LiveCatalogue(
      float[][] vectors,
      StreamReplay replay,
      boolean[] startItems,
      int[][] heldOutPairs,
      long randomSeed) {
    this.vectors = vectors;
    this.replay = replay;
    this.startItems = startItems;
    this.heldOutPairs = heldOutPairs;
    this.lateHeldOutPairs =
        java.util.Arrays.stream(heldOutPairs)
            .filter(p -> !startItems[p[0]] || !startItems[p[1]])
            .toArray(int[][]::new);
    this.randomSeed = randomSeed;
  }

  float[][] vectors() {
    return vectors;
  }

  StreamReplay replay() {
    return replay;
  }

  boolean[] startItems() {
    return startItems;
  }

  /** Codes of the {@code live} items (other rows null). */
  int[][] codes(QuasidModel model, boolean[] live) {
    int[] idx = GrowthMetrics.indices(live);
    float[][] x = new float[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      x[i] = vectors[idx[i]];
    }
    int[][] out = new int[vectors.length][];
    if (idx.length == 0) {
      return out;
    }
    int[][] codes = model.encode(x).codes();
    for (int i = 0; i < idx.length; i++) {
      out[idx[i]] = codes[i];
    }
    return out;
  }

  /** Codes of every item, arrived or not (the recommender ranks the whole catalogue). */
  int[][] allCodes(QuasidModel model) {
    return model.encode(vectors).codes();
  }

  /** The live catalogue after {@code position} stream events, under {@code model}. */
  GrowthCheckpoint measure(QuasidModel model, int position, double fraction) {
    int[][] codes = codes(model, replay.arrivedBefore(position));
    return measure(codes, model.codebookSize(), model.levels(), position, fraction);
  }

  /**
   * The live catalogue after {@code position} stream events, holding {@code codes} (null rows for
   * items not arrived), which may come from several versions.
   */
  GrowthCheckpoint measure(
      int[][] codes, int codebookSize, int levels, int position, double fraction) {
    boolean[] live = replay.arrivedBefore(position);
    boolean[] late = new boolean[live.length];
    int lateItems = 0;
    for (int i = 0; i < live.length; i++) {
      late[i] = live[i] && !startItems[i];
      lateItems += late[i] ? 1 : 0;
    }
    SidMetrics usage = SidMetrics.of(GrowthMetrics.liveRows(codes), codebookSize);
    int[][] random = GrowthMetrics.randomPairs(live, RANDOM_PAIRS, randomSeed + position);
    int two = Math.min(2, levels);
    return new GrowthCheckpoint(
        fraction,
        usage.items(),
        lateItems,
        usage.collisionRate(),
        usage.largestBucket(),
        GrowthMetrics.collidingShare(codes, late),
        usage.utilisation(),
        usage.perplexity(),
        GrowthMetrics.coherence(codes, heldOutPairs, live, 1),
        GrowthMetrics.coherence(codes, heldOutPairs, live, two),
        GrowthMetrics.coherence(codes, lateHeldOutPairs, live, 1),
        GrowthMetrics.coherence(codes, lateHeldOutPairs, live, two),
        GrowthMetrics.coherence(codes, random, live, 1),
        GrowthMetrics.coherence(codes, random, live, two),
        GrowthMetrics.countedPairs(heldOutPairs, live),
        GrowthMetrics.countedPairs(lateHeldOutPairs, live));
  }
}
