package io.quasid.bench.quality;

/**
 * Size and training budget of the downstream recommender; identical for every SID variant.
 *
 * @param dim width of every code embedding
 * @param historyLength how many most recent history items form the user vector
 * @param batchSize next-item examples per Adam step
 * @param epochs passes over all next-item examples of the training split
 * @param learningRate Adam step size
 * @param initStd standard deviation of the Gaussian embedding init
 */
public record RecommenderConfig(
    int dim, int historyLength, int batchSize, int epochs, double learningRate, double initStd) {

  public RecommenderConfig {
    if (dim <= 0 || historyLength <= 0 || batchSize <= 0 || epochs <= 0) {
      throw new IllegalArgumentException("dim, historyLength, batchSize, epochs must be > 0");
    }
    if (!(learningRate > 0) || !(initStd > 0)) {
      throw new IllegalArgumentException("learningRate and initStd must be > 0");
    }
  }

  public RecommenderConfig withEpochs(int e) {
    return new RecommenderConfig(dim, historyLength, batchSize, e, learningRate, initStd);
  }

  public RecommenderConfig withLearningRate(double lr) {
    return new RecommenderConfig(dim, historyLength, batchSize, epochs, lr, initStd);
  }
}
