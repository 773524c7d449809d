package io.quasid.bench.quality.generative;

/** What beam search asks of a model: next-token logits after a user's history and a prefix. */
@FunctionalInterface
public interface NextTokenLogits {

  /**
   * @param users for each row, the user (an index into the histories being decoded)
   * @param prefixes for each row, the tokens decoded so far for that user; all of one length
   * @return for each row, logits over the whole vocabulary
   */
  float[][] logits(int[] users, int[][] prefixes);
}
