package io.quasid.sql;

import io.quasid.model.QuasidModel;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a SQL model's tokenizer comes from: a snapshot file (what the job's {@code model.snapshot}
 * and its training exports hold) or a SavedModel directory. Paths are read where the function
 * opens, so on a cluster they must exist on every TaskManager (a shared volume).
 */
record ModelSource(String snapshot, String savedModel) implements Serializable {

  ModelSource {
    if ((snapshot == null) == (savedModel == null)) {
      throw new IllegalArgumentException(
          "give exactly one of '"
              + QuasidModelProviderFactory.SNAPSHOT.key()
              + "' and '"
              + QuasidModelProviderFactory.SAVED_MODEL.key()
              + "'");
    }
  }

  QuasidModel load() {
    if (snapshot != null) {
      try {
        return QuasidModel.restore(Files.readAllBytes(Path.of(snapshot)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read QuaSID snapshot " + snapshot, e);
      }
    }
    return QuasidModel.importSavedModel(Path.of(savedModel));
  }

  @Override
  public String toString() {
    return snapshot != null ? "snapshot " + snapshot : "SavedModel " + savedModel;
  }
}
