package io.quasid.client;

import static io.quasid.client.SidRecords.delete;
import static io.quasid.client.SidRecords.put;
import static io.quasid.client.SidRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidSnapshotTest {

  @TempDir Path dir;

  private static SidIndex sample() {
    SidIndex index = new SidIndex();
    index.apply(
        List.of(
            put(record("a", 0, 1, null, 0, 1, 2)),
            put(record("b", 0, 1, null, 1, 1, 2)),
            put(record("é-ü", 0, 1, null, 0, 7, 7)),
            put(record("gone", 0, 1, null, 0, 9, 9))));
    index.apply(
        List.of(
            delete("gone", 2),
            put(record("a", 1, 2, "1-2/0", 0, 3, 4)),
            put(record("b", 0, 1, null, 1, 1, 2)))); // stale
    return index;
  }

  @Test
  void roundTripsTheIndexAndOffsets() throws IOException {
    SidIndex index = sample();
    Path file = dir.resolve("table.snapshot");
    new SidSnapshot("sids", Map.of(0, 17L, 2, 5L), index.exportState()).write(file);

    SidSnapshot read = SidSnapshot.read(file);
    SidIndex restored = SidIndex.restore(read.state(), 16);

    assertThat(read.topic()).isEqualTo("sids");
    assertThat(read.offsets()).isEqualTo(Map.of(0, 17L, 2, 5L));
    assertThat(restored.records()).containsExactlyInAnyOrderElementsOf(index.records());
    assertThat(restored.prefixCounts()).isEqualTo(index.prefixCounts());
    assertThat(restored.migrations()).isEqualTo(index.migrations());
    assertThat(restored.liveVersions()).isEqualTo(index.liveVersions());
    assertThat(restored.itemOf("7-7/0")).contains("é-ü");
    assertThat(restored.sequence()).isEqualTo(index.sequence());
    assertThat(restored.staleDropped()).isEqualTo(1);

    // the deleted item's revision survives: an older record cannot resurrect it
    restored.apply(List.of(put(record("gone", 0, 1, null, 0, 9, 9))));
    assertThat(restored.get("gone")).isEmpty();
    // and the next batch continues the sequence
    assertThat(restored.apply(List.of(put(record("c", 1, 1, null, 0, 5)))).sequence())
        .isEqualTo(index.sequence() + 1);
  }

  @Test
  void rejectsACorruptOrForeignFile() throws IOException {
    Path file = dir.resolve("table.snapshot");
    new SidSnapshot("sids", Map.of(0, 1L), sample().exportState()).write(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Path corrupt = Files.write(dir.resolve("corrupt"), bytes);
    Path truncated = Files.write(dir.resolve("truncated"), Arrays.copyOf(bytes, bytes.length - 9));
    Path foreign = Files.writeString(dir.resolve("foreign"), "not a snapshot at all");

    assertThatThrownBy(() -> SidSnapshot.read(corrupt)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> SidSnapshot.read(truncated)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> SidSnapshot.read(foreign))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a SID table snapshot");
  }

  @Test
  void anUnusableSnapshotIsMovedAsideAndMeansAReplay() throws IOException {
    Path file = dir.resolve("table.snapshot");
    assertThat(SidSnapshot.readIfUsable(file)).as("none yet").isEmpty();

    new SidSnapshot("sids", Map.of(0, 17L), sample().exportState()).write(file);
    assertThat(SidSnapshot.readIfUsable(file)).isPresent();

    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 3)); // a torn write
    assertThat(SidSnapshot.readIfUsable(file)).isEmpty();
    assertThat(file).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .singleElement()
          .satisfies(name -> assertThat(name).startsWith("table.snapshot.corrupt-"));
    }
  }

  @Test
  void replacesAnEarlierSnapshotAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("table.snapshot");
    new SidSnapshot("sids", Map.of(0, 1L), new SidIndex().exportState()).write(file);
    new SidSnapshot("sids", Map.of(0, 2L), sample().exportState()).write(file);

    assertThat(SidSnapshot.read(file).offsets()).containsEntry(0, 2L);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }
}
