package io.quasid.model;

/**
 * What holds a training step to the live version, so that continuous fine-tuning moves the items
 * the live version has placed only as much as their data asks (anchored fine-tuning, as in DACT):
 *
 * <ul>
 *   <li>latent anchoring: {@code latentWeight * sum_i w_i ||z_i - a_i||^2 / max(1, sum_i w_i)},
 *       where {@code a_i} is the live encoder's output for row {@code i} and {@code w_i} is 1 for
 *       an item the live version placed and 0 for a free one (new items, changed features, pairs);
 *   <li>codebook anchoring: {@code codebookWeight * sum_{l,k} h_lk ||C_lk - A_lk||^2 / max(1, sum
 *       h)}, where {@code A} are the live codebooks and {@code h_lk} is 1 for a code that holds
 *       known items; such codes are also never reseeded as dead codes.
 * </ul>
 *
 * @param latents the live encoder's output per batch row {@code [n][latentDim]}
 * @param rowWeights per batch row, in [0, 1]
 * @param latentWeight weight of the latent term, >= 0
 * @param codebooks the live codebooks {@code [levels][codebookSize][latentDim]}
 * @param heldCodes per level and code, in [0, 1]
 * @param codebookWeight weight of the codebook term, >= 0
 */
public record Anchors(
    float[][] latents,
    float[] rowWeights,
    float latentWeight,
    float[][][] codebooks,
    float[][] heldCodes,
    float codebookWeight) {

  public Anchors {
    if (latents.length != rowWeights.length) {
      throw new IllegalArgumentException(
          "one anchor latent per row: " + latents.length + " vs " + rowWeights.length);
    }
    if (codebooks.length != heldCodes.length) {
      throw new IllegalArgumentException("one held-code mask per level");
    }
    if (!(latentWeight >= 0) || !(codebookWeight >= 0)) {
      throw new IllegalArgumentException("anchor weights must be >= 0");
    }
  }

  /** No anchoring: the terms are fed zero weights, so the step is exactly an unanchored one. */
  static Anchors none(int rows, QuasidConfig config) {
    return new Anchors(
        new float[rows][config.latentDim()],
        new float[rows],
        0f,
        new float[config.levels()][config.codebookSize()][config.latentDim()],
        new float[config.levels()][config.codebookSize()],
        0f);
  }

  /** Whether code {@code code} of level {@code level} holds known items. */
  boolean holds(int level, int code) {
    return codebookWeight > 0 && heldCodes[level][code] > 0;
  }
}
