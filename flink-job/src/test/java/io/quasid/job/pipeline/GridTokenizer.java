package io.quasid.job.pipeline;

import io.quasid.job.types.ModelUpdate;
import io.quasid.model.Encoding;
import io.quasid.model.SidTokenizer;

/**
 * Test-only tokenizer with hand-checkable output: code at level l is {@code round(10 * v[l]) +
 * shift} modulo the codebook size; the residual norm is {@code |v[levels]| / (1 + shift)}. A model
 * update carries its shift in the first snapshot byte.
 */
final class GridTokenizer implements SidTokenizer {
  static final int LEVELS = 3;
  static final int CODEBOOK = 16;
  static final int DIM = 4;

  private final int shift;
  private final long version;

  GridTokenizer(int shift, long version) {
    this.shift = shift;
    this.version = version;
  }

  static int[] codes(float[] v, int shift) {
    int[] c = new int[LEVELS];
    for (int l = 0; l < LEVELS; l++) {
      c[l] = Math.floorMod(Math.round(10 * v[l]) + shift, CODEBOOK);
    }
    return c;
  }

  /** Encode calls made by every GridTokenizer (tests reset it). */
  static final java.util.concurrent.atomic.AtomicLong ENCODE_CALLS =
      new java.util.concurrent.atomic.AtomicLong();

  /** Wall time every encode call takes (tests of pacing set it, then reset it to 0). */
  static volatile long encodeSleepMillis;

  @Override
  public Encoding encode(float[][] vectors) {
    ENCODE_CALLS.incrementAndGet();
    if (encodeSleepMillis > 0) {
      try {
        Thread.sleep(encodeSleepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int[][] codes = new int[vectors.length][];
    float[] norms = new float[vectors.length];
    for (int i = 0; i < vectors.length; i++) {
      codes[i] = codes(vectors[i], shift);
      norms[i] = Math.abs(vectors[i][LEVELS]) / (1 + shift);
    }
    return new Encoding(codes, norms);
  }

  /** The encode norm plus 0.1 per level whose code differs from this tokenizer's own choice. */
  @Override
  public float[] residualNorms(float[][] vectors, int[][] codes) {
    float[] norms = new float[vectors.length];
    for (int i = 0; i < vectors.length; i++) {
      int[] own = codes(vectors[i], shift);
      norms[i] = Math.abs(vectors[i][LEVELS]) / (1 + shift);
      for (int l = 0; l < LEVELS; l++) {
        norms[i] += own[l] == codes[i][l] ? 0 : 0.1f;
      }
    }
    return norms;
  }

  @Override
  public int inputDim() {
    return DIM;
  }

  @Override
  public int levels() {
    return LEVELS;
  }

  @Override
  public int codebookSize() {
    return CODEBOOK;
  }

  @Override
  public long modelVersion() {
    return version;
  }

  @Override
  public void close() {}

  /** Factory: shift 0 / version 0 initially; an update's shift is its first snapshot byte. */
  static final class Factory implements SidTokenizerFactory {
    @Override
    public SidTokenizer initial() {
      return new GridTokenizer(0, 0);
    }

    @Override
    public SidTokenizer restore(ModelUpdate update) {
      return new GridTokenizer(update.snapshot[0], update.version);
    }
  }

  static ModelUpdate update(long version, int shift, long publishedAt) {
    return new ModelUpdate(version, version * 100, new byte[] {(byte) shift}, publishedAt, 0.0);
  }
}
