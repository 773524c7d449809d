package io.quasid.bench.quality;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Locates the public benchmark data, which lives next to the repository, not inside it. */
public final class DataPaths {

  /** System property that overrides the Beauty data directory. */
  public static final String BEAUTY_PROPERTY = "quasid.data.beauty";

  private static final Path RELATIVE = Path.of("shared", "data", "beauty");

  private DataPaths() {}

  /**
   * The property if set, otherwise the first {@code shared/data/beauty} found in the working
   * directory or one of its ancestors (the repo root's {@code ../shared/data/beauty} from anywhere
   * inside the repo).
   */
  public static Optional<Path> beauty() {
    String override = System.getProperty(BEAUTY_PROPERTY);
    if (override != null && !override.isBlank()) {
      return Optional.of(Path.of(override));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE);
      if (Files.isRegularFile(candidate.resolve(BeautyDataset.VECTORS_FILE))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
