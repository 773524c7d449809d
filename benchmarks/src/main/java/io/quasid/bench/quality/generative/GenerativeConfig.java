package io.quasid.bench.quality.generative;

/**
 * Size and budget of the generative recommender. {@link #standard} is the documented model:
 * decoder-only transformer, d = 128, 2 layers, 4 heads, feed-forward 512, pre-norm, learned
 * positions, no dropout.
 *
 * @param dim model width d
 * @param layers transformer blocks
 * @param heads attention heads (d must divide by it)
 * @param ffnDim hidden width of each block's feed-forward layer
 * @param historyItems most recent items a user is represented by (training windows hold one more,
 *     the item to predict)
 * @param batchSize training windows per Adam step
 * @param epochs passes over the training windows
 * @param learningRate Adam step size (constant)
 * @param beamWidth beams kept per user while decoding
 * @param topK items recommended per user
 * @param users users sampled (seeded) for training and test; 0 for all
 * @param decodeUsers users decoded per prefill (their beams go to the graph together)
 * @param intraOpThreads TensorFlow intra-op threads
 * @param interOpThreads TensorFlow inter-op threads
 */
public record GenerativeConfig(
    int dim,
    int layers,
    int heads,
    int ffnDim,
    int historyItems,
    int batchSize,
    int epochs,
    double learningRate,
    int beamWidth,
    int topK,
    int users,
    int decodeUsers,
    int intraOpThreads,
    int interOpThreads) {

  public GenerativeConfig {
    if (dim < 1
        || layers < 1
        || heads < 1
        || dim % heads != 0
        || ffnDim < 1
        || historyItems < 1
        || batchSize < 1
        || epochs < 0
        || beamWidth < topK
        || topK < 1
        || users < 0
        || decodeUsers < 1
        || intraOpThreads < 1
        || interOpThreads < 1) {
      throw new IllegalArgumentException(
          "need positive sizes, dim divisible by heads, epochs >= 0, 1 <= topK <= beamWidth,"
              + " users >= 0");
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be > 0");
    }
  }

  /** The documented model size with the given budget; top 10, 128 users per prefill, 1 thread. */
  public static GenerativeConfig standard(
      int historyItems, int batchSize, int epochs, double learningRate, int beamWidth, int users) {
    return new GenerativeConfig(
        128,
        2,
        4,
        512,
        historyItems,
        batchSize,
        epochs,
        learningRate,
        beamWidth,
        10,
        users,
        128,
        1,
        1);
  }

  /** Positions the model has embeddings for: BOS and {@code historyItems + 1} items. */
  public int maxPositions(int tokensPerItem) {
    return 1 + (historyItems + 1) * tokensPerItem;
  }
}
