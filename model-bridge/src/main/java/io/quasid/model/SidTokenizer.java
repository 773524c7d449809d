package io.quasid.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

  /**
   * {@link #encode} of {@code vectors} and {@link #residualNorms} of the codes they hold now
   * ({@code held[i]}; null for an item that holds none, whose norm is NaN): what a re-encoding
   * sweep compares to rank its moves. Implementations do both in one forward pass where they can.
   */
  default Reencoding reencode(float[][] vectors, int[][] held) {
    Encoding encoding = encode(vectors);
    float[] heldNorms = new float[vectors.length];
    Arrays.fill(heldNorms, Float.NaN);
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < held.length; i++) {
      if (held[i] != null) {
        rows.add(i);
      }
    }
    float[] norms =
        residualNorms(
            rows.stream().map(i -> vectors[i]).toArray(float[][]::new),
            rows.stream().map(i -> held[i]).toArray(int[][]::new));
    for (int j = 0; j < rows.size(); j++) {
      heldNorms[rows.get(j)] = norms[j];
    }
    return new Reencoding(encoding, heldNorms);
  }

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
