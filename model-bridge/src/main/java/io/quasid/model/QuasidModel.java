package io.quasid.model;

import java.nio.file.Path;

/**
 * The QuaSID tokenizer (RQ-VAE + contrastive + Hamming-guided repulsion with valid-pair masking) in
 * TensorFlow Java graph mode. Not thread-safe: one instance per operator/thread.
 *
 * <p>API CONTRACT (implementation in progress): see the javadoc of each method.
 */
public final class QuasidModel implements SidTokenizer {

  /** Builds the graph and initialises weights deterministically from {@code config.seed()}. */
  public static QuasidModel create(QuasidConfig config) {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  /** Restores weights, codebooks, optimizer state, step and version from {@link #snapshot()}. */
  public static QuasidModel restore(byte[] snapshotBytes) {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  /** Loads a directory written by {@link #exportSavedModel(Path)} (or compatible). */
  public static QuasidModel importSavedModel(Path dir) {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  /** k-means (seeded) initialisation of every level's codebook from encoder outputs of sample. */
  public void initCodebooks(float[][] sample) {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  /** True once codebooks were initialised (by initCodebooks, restore or import). */
  public boolean codebooksInitialized() {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  /** One optimizer step; returns loss terms (pre-update) and collision counts of the batch. */
  public TrainResult trainStep(TrainBatch batch) {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  @Override
  public Encoding encode(float[][] vectors) {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  /** Marks the current weights as a new published version and returns it. */
  public long bumpVersion() {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  public ModelSnapshot snapshot() {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  public void exportSavedModel(Path dir) {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  public QuasidConfig config() {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  public long step() {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  @Override
  public int inputDim() {
    return config().inputDim();
  }

  @Override
  public int levels() {
    return config().levels();
  }

  @Override
  public int codebookSize() {
    return config().codebookSize();
  }

  @Override
  public long modelVersion() {
    throw new UnsupportedOperationException("TODO model-bridge");
  }

  @Override
  public void close() {}
}
