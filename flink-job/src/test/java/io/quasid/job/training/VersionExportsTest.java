package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionExportsTest {

  @TempDir Path dir;

  private Path file(long version) {
    return dir.resolve(String.format("quasid-v%06d.snapshot", version));
  }

  @Test
  void aVersionIsWrittenWhenItsCheckpointCompletesNotBefore() throws Exception {
    VersionExports exports = new VersionExports(dir.toString());
    exports.published(1, new byte[] {1});
    assertThat(exports.snapshot(7)).hasSize(1);
    exports.published(2, new byte[] {2});

    exports.checkpointCompleted(7);

    assertThat(Files.readAllBytes(file(1))).containsExactly(1);
    assertThat(file(2)).doesNotExist();
    assertThat(exports.snapshot(8)).extracting(e -> e.version).containsExactly(2L);
  }

  @Test
  void restoringWithExportsSwitchedOffWritesNothingAndDoesNotFail() {
    new VersionExports(null).restored(List.of(new PendingExport(1, new byte[] {1})));
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void identicalBytesAreNotRewrittenOtherBytesReplaceTheFile() throws Exception {
    Files.write(file(3), new byte[] {3});
    FileTime old = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(file(3), old);
    VersionExports exports = new VersionExports(dir.toString());

    exports.restored(List.of(new PendingExport(3, new byte[] {3})));
    assertThat(Files.getLastModifiedTime(file(3))).isEqualTo(old);

    exports.restored(List.of(new PendingExport(3, new byte[] {4})));
    assertThat(Files.readAllBytes(file(3))).containsExactly(4);
  }

  @Test
  void whileCheckpointsFailOnlyTheNewestVersionsWait() throws Exception {
    VersionExports exports = new VersionExports(dir.toString());
    for (long v = 1; v <= VersionExports.MAX_PENDING + 3; v++) {
      exports.published(v, new byte[] {(byte) v});
      exports.snapshot(v);
    }

    assertThat(exports.snapshot(100))
        .extracting(e -> e.version)
        .containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    exports.checkpointCompleted(100);
    assertThat(file(3)).doesNotExist();
    assertThat(file(11)).exists();
  }
}
