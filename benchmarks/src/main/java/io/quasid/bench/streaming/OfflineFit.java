package io.quasid.bench.streaming;

import io.quasid.bench.quality.CatalogueData;
import io.quasid.bench.quality.TokenizerBatches;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import io.quasid.model.TrainResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline recipe of the catalogue-growth benchmark, used for the start model and for the
 * periodic retrain: a fresh model, codebooks k-means-initialised on the given items, then {@code
 * steps} steps whose batches hold half uniform catalogue items, half collaborative pairs (all
 * catalogue rows when there are no pairs yet), as the quality benchmark trains.
 */
final class OfflineFit {

  /**
   * @param model the fitted model (caller closes it)
   * @param seconds k-means plus training steps, wall time
   */
  record Fitted(QuasidModel model, double seconds) {}

  private OfflineFit() {}

  /**
   * @param items which items the fit may see
   * @param pairs item pairs (global ids); pairs with an item outside {@code items} are skipped
   */
  static Fitted fit(
      QuasidConfig config,
      float[][] vectors,
      int[] groups,
      boolean[] items,
      int[][] pairs,
      int steps,
      int batchSize,
      long seed) {
    int[] index = new int[vectors.length];
    List<float[]> subVectors = new ArrayList<>();
    List<Integer> subGroups = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      index[i] = -1;
      if (items[i]) {
        index[i] = subVectors.size();
        subVectors.add(vectors[i]);
        subGroups.add(groups[i]);
      }
    }
    List<int[]> subPairs = new ArrayList<>();
    for (int[] p : pairs) {
      if (items[p[0]] && items[p[1]]) {
        subPairs.add(new int[] {index[p[0]], index[p[1]]});
      }
    }
    float[][] x = subVectors.toArray(new float[0][]);
    CatalogueData sub =
        new CatalogueData(
            x, new int[0][], subGroups.stream().mapToInt(Integer::intValue).toArray());
    TokenizerBatches batches =
        new TokenizerBatches(
            sub, subPairs.toArray(new int[0][]), batchSize, subPairs.isEmpty() ? 1.0 : 0.5, seed);
    long t0 = System.nanoTime();
    QuasidModel model = QuasidModel.create(config);
    try {
      model.initCodebooks(x);
      for (int s = 0; s < steps; s++) {
        TrainResult r = model.trainStep(batches.next());
        if (!r.isFinite() && r.applied()) {
          throw new IllegalStateException("offline fit: non-finite loss at step " + s + ": " + r);
        }
      }
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return new Fitted(model, (System.nanoTime() - t0) / 1e9);
  }
}
