package io.quasid.bench.quality;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Locates the public benchmark data, which lives next to the repository, not inside it. */
public final class DataPaths {

  /** System property that overrides the Beauty data directory. */
  public static final String BEAUTY_PROPERTY = "quasid.data.beauty";

  /** System property that overrides the Scientific data directory. */
  public static final String SCIENTIFIC_PROPERTY = "quasid.data.scientific";

  private DataPaths() {}

  /**
   * The property if set, otherwise the first {@code shared/data/beauty} found in the working
   * directory or one of its ancestors (the repo root's {@code ../shared/data/beauty} from anywhere
   * inside the repo).
   */
  public static Optional<Path> beauty() {
    return find(BEAUTY_PROPERTY, "beauty", BeautyDataset.VECTORS_FILE);
  }

  /** {@link #beauty()}, or a clear error for benchmarks that cannot run without it. */
  public static Path requireBeauty() {
    return beauty()
        .orElseThrow(
            () -> new IllegalStateException("Beauty data not found: set -D" + BEAUTY_PROPERTY));
  }

  /** Like {@link #beauty()} for {@code shared/data/scientific}. */
  public static Optional<Path> scientific() {
    return find(SCIENTIFIC_PROPERTY, "scientific", ScientificDataset.ITEMS_FILE);
  }

  private static Optional<Path> find(String property, String name, String marker) {
    String override = System.getProperty(property);
    if (override != null && !override.isBlank()) {
      return Optional.of(Path.of(override));
    }
    Path relative = Path.of("shared", "data", name);
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate.resolve(marker))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
