package io.quasid.job.pipeline;

import io.quasid.job.types.ModelUpdate;
import io.quasid.model.SidTokenizer;
import java.io.Serializable;

/**
 * How the assigner gets its tokenizers. Shipped with the job graph, so it must be serializable; the
 * tokenizers it returns hold native resources and are created on the task manager.
 */
public interface SidTokenizerFactory extends Serializable {

  /** The tokenizer in use until the first {@link ModelUpdate} arrives. */
  SidTokenizer initial();

  /** The tokenizer of a published version. */
  SidTokenizer restore(ModelUpdate update);

  /**
   * Fails at submission, naming both sizes, when the initial tokenizer's input size is not {@code
   * vectorDim}; otherwise every item would fail the assigner and the job would restart forever.
   */
  default void requireInputDim(int vectorDim) {
    try (SidTokenizer t = initial()) {
      if (t.inputDim() != vectorDim) {
        throw new IllegalArgumentException(
            inputDimMismatch("initial model", t.inputDim(), vectorDim));
      }
    }
  }

  /**
   * Fails at submission when the initial tokenizer says it was trained on other features than
   * {@code featureSpace} (a tokenizer that says nothing, "", is taken as is).
   */
  default void requireFeatureSpace(String featureSpace) {
    try (SidTokenizer t = initial()) {
      if (!t.featureSpace().isEmpty() && !t.featureSpace().equals(featureSpace)) {
        throw new IllegalArgumentException(
            "the initial model was trained on features '"
                + t.featureSpace()
                + "' but the job feeds it '"
                + featureSpace
                + "': give a model trained on those, or change features.source");
      }
    }
  }

  /** The one message for a model whose input size is not the job's {@code vector.dim}. */
  static String inputDimMismatch(String model, int modelDim, int vectorDim) {
    return "the "
        + model
        + " takes "
        + modelDim
        + "-dimensional input but vector.dim is "
        + vectorDim
        + ": set --vector.dim="
        + modelDim
        + " or give a model trained on "
        + vectorDim
        + "-d features";
  }
}
