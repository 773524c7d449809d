package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {

  @TempDir Path dir;

  @Test
  void readsFloat32Matrix() throws IOException {
    Path file =
        writeNpy(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 1, 2, 3, 4, 5, -6.5f);

    float[][] m = NpyReader.readFloatMatrix(file);

    assertThat(m).hasDimensions(2, 3);
    assertThat(m[0]).containsExactly(1, 2, 3);
    assertThat(m[1]).containsExactly(4, 5, -6.5f);
  }

  @Test
  void rejectsOtherDtypes() throws IOException {
    Path file = writeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", 0, 0);

    assertThatThrownBy(() -> NpyReader.readFloatMatrix(file)).hasMessageContaining("float32");
  }

  private Path writeNpy(String header, float... values) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    int padded = ((10 + h.length + 1 + 63) / 64) * 64 - 10;
    ByteBuffer buf =
        ByteBuffer.allocate(10 + padded + values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.put((byte) 0x93)
        .put("NUMPY".getBytes(StandardCharsets.ISO_8859_1))
        .put((byte) 1)
        .put((byte) 0);
    buf.putShort((short) padded);
    buf.put(h);
    for (int i = h.length; i < padded - 1; i++) {
      buf.put((byte) ' ');
    }
    buf.put((byte) '\n');
    for (float v : values) {
      buf.putFloat(v);
    }
    Path file = dir.resolve("m.npy");
    Files.write(file, buf.array());
    return file;
  }
}
