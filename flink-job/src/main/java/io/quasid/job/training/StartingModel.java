package io.quasid.job.training;

import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The model the {@link TokenizerTrainer} starts from when it has no checkpoint of its own. */
final class StartingModel {

  // The trainer's logger: the warm start is a line of the trainer's story.
  private static final Logger LOG = LoggerFactory.getLogger(TokenizerTrainer.class);

  private StartingModel() {}

  /**
   * The warm start ({@code training.warm-start}) with the fine-tuning rates, else a fresh model.
   */
  static QuasidModel of(TrainingOptions options) throws IOException {
    String warmStart = options.warmStart();
    if (warmStart == null) {
      return fresh(options);
    }
    Path path = Path.of(warmStart);
    UnaryOperator<QuasidConfig> fineTune = c -> options.fineTuned(options.placement().applyTo(c));
    QuasidModel warm =
        Files.isDirectory(path)
            ? QuasidModel.importSavedModel(path, fineTune)
            : QuasidModel.restore(Files.readAllBytes(path), fineTune);
    if (warm.inputDim() != options.model().inputDim()) {
      warm.close();
      throw new IllegalArgumentException(
          "warm start "
              + path
              + " expects inputDim "
              + warm.inputDim()
              + ", the job's features have "
              + options.model().inputDim());
    }
    LOG.info("Trainer warm-started from {} at version {}", path, warm.modelVersion());
    return warm;
  }

  /** A new, seeded model of the job's configuration, placed where the trainer runs. */
  static QuasidModel fresh(TrainingOptions options) {
    return QuasidModel.create(options.placement().applyTo(options.model()));
  }
}
