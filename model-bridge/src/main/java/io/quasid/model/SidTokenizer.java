package io.quasid.model;

/**
 * What the Flink operators need from a tokenizer: vectors in, Semantic-ID codes out.
 *
 * <p>Implementations hold native TensorFlow resources; callers must {@link #close()} them.
 */
public interface SidTokenizer extends AutoCloseable {

  /** Encodes {@code vectors[n][inputDim]} to codes {@code [n][levels]} and their residual norms. */
  Encoding encode(float[][] vectors);

  int inputDim();

  int levels();

  int codebookSize();

  /** Monotonic version of the weights in use; 0 for a fresh seeded init. */
  long modelVersion();

  @Override
  void close();
}
