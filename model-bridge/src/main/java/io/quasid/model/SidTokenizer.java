package io.quasid.model;

/**
 * What the Flink operators need from a tokenizer: vectors in, Semantic-ID codes out.
 *
 * <p>Implementations hold native TensorFlow resources; callers must {@link #close()} them.
 */
public interface SidTokenizer extends AutoCloseable {

  /** Encodes {@code vectors[n][inputDim]} to codes {@code [n][levels]} and their residual norms. */
  Encoding encode(float[][] vectors);

  /**
   * How far each vector's latent lies from the point {@code codes} spell in this tokenizer's
   * codebooks: {@code |z - sum_l C_l[codes_l]|}. For codes this tokenizer chose, the residual norm
   * {@link #encode} returns; for codes another version chose, how well they still fit in this
   * version's space, the one space in which an item's old and new codes can be compared.
   */
  float[] residualNorms(float[][] vectors, int[][] codes);

  int inputDim();

  /** What the input vectors must be (e.g. the encoder that made them), or "" when unknown. */
  default String featureSpace() {
    return "";
  }

  int levels();

  int codebookSize();

  /** Monotonic version of the weights in use; 0 for a fresh seeded init. */
  long modelVersion();

  @Override
  void close();
}
