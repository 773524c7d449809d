package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {

  @Test
  void whatItWritesReadsBackAsNumpyLaysItOut(@TempDir Path dir) throws IOException {
    float[][] matrix = {{1f, -2.5f, Float.MIN_VALUE}, {0f, 3e8f, -0f}};
    Path file = dir.resolve("m.npy");

    NpyWriter.writeFloat32Matrix(file, matrix);

    assertThat(NpyReader.readFloat32Matrix(file)).isDeepEqualTo(matrix);
    byte[] bytes = Files.readAllBytes(file);
    // numpy aligns the data to 64 bytes; a header that does not is read by us, refused by others.
    assertThat((bytes.length - 2 * 3 * Float.BYTES) % 64).isZero();
    assertThat(bytes[bytes.length - 2 * 3 * Float.BYTES - 1]).isEqualTo((byte) '\n');
    assertThat(Files.list(dir)).containsExactly(file);
  }
}
