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
}
