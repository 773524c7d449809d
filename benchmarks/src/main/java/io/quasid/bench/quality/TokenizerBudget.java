package io.quasid.bench.quality;

/**
 * What every tokenizer variant gets: same steps, batch, learning rate, codebook shape and seed.
 *
 * @param steps optimizer steps
 * @param batchSize rows per step (half uniform catalogue items, half collaborative pairs)
 * @param learningRate Adam step size
 * @param levels residual levels L
 * @param codebookSize codes per level K
 * @param evalEvery encode the whole catalogue for the collision curve every this many steps
 * @param seed weights, k-means and batch order
 * @param recipe loss reduction, gradient path, codebook rate and checkpoint rule
 */
public record TokenizerBudget(
    int steps,
    int batchSize,
    float learningRate,
    int levels,
    int codebookSize,
    int evalEvery,
    long seed,
    TokenizerRecipe recipe) {

  public TokenizerBudget {
    if (steps < 0
        || batchSize < 4
        || batchSize % 4 != 0
        || levels < 1
        || codebookSize < 2
        || evalEvery < 1) {
      throw new IllegalArgumentException(
          "need steps >= 0, batchSize a positive multiple of 4, levels >= 1, codebookSize >= 2,"
              + " evalEvery >= 1");
    }
    if (recipe == null) {
      throw new IllegalArgumentException("need a recipe (TokenizerRecipe.DEFAULT for the job's)");
    }
  }
}
