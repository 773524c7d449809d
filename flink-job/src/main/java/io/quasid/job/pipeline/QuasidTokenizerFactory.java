package io.quasid.job.pipeline;

import io.quasid.job.config.InputOptions;
import io.quasid.job.config.ModelOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.TextOptions;
import io.quasid.job.types.ModelUpdate;
import io.quasid.model.Placement;
import io.quasid.model.QuasidModel;
import io.quasid.model.SidTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Real TensorFlow tokenizers: the initial one from {@code model.snapshot}, else {@code
 * model.saved-model}, else a seeded {@link QuasidModel#create} from the {@code model.*} options;
 * published versions from their snapshot bytes. Paths are read on the task manager, so on a cluster
 * they must be on storage every task manager sees.
 */
public final class QuasidTokenizerFactory implements SidTokenizerFactory {

  private static final long serialVersionUID = 1L;

  private final QuasidJobOptions options;

  public QuasidTokenizerFactory(QuasidJobOptions options) {
    // Shipped in the job graph: the model settings only, never the Kafka client properties.
    this.options =
        options.only("model.", InputOptions.VECTOR_DIM.key(), TextOptions.FEATURE_SOURCE.key());
  }

  @Override
  public SidTokenizer initial() {
    Optional<Path> snapshot = options.modelSnapshot();
    if (snapshot.isPresent()) {
      try {
        return QuasidModel.restore(Files.readAllBytes(snapshot.get()), placement());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read model snapshot " + snapshot.get(), e);
      }
    }
    Optional<Path> savedModel = options.savedModel();
    if (savedModel.isPresent()) {
      return QuasidModel.importSavedModel(savedModel.get(), placement());
    }
    return QuasidModel.create(options.modelConfig());
  }

  /** A seeded model is built from vector.dim, so only a loaded one needs opening to check. */
  @Override
  public void requireInputDim(int vectorDim) {
    if (options.modelSnapshot().isPresent() || options.savedModel().isPresent()) {
      SidTokenizerFactory.super.requireInputDim(vectorDim);
    }
  }

  /** A seeded model is built with the job's feature space, so only a loaded one needs checking. */
  @Override
  public void requireFeatureSpace(String featureSpace) {
    if (options.modelSnapshot().isPresent() || options.savedModel().isPresent()) {
      SidTokenizerFactory.super.requireFeatureSpace(featureSpace);
    }
  }

  /** The assigner's device and threads apply to loaded and published models too. */
  private Placement placement() {
    return new Placement(
        options.get(ModelOptions.MODEL_DEVICE),
        options.get(ModelOptions.MODEL_INTRA_OP_THREADS),
        options.get(ModelOptions.MODEL_INTER_OP_THREADS));
  }

  @Override
  public SidTokenizer restore(ModelUpdate update) {
    return QuasidModel.restore(update.snapshot, placement());
  }
}
