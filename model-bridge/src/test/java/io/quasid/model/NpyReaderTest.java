package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {

  @Test
  void readsAVersionOneFloat32Matrix() throws IOException {
    byte[] npy = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 6);

    float[][] m = NpyReader.readFloat32Matrix(new ByteArrayInputStream(npy));

    assertThat(m).isDeepEqualTo(new float[][] {{0f, 0.5f, 1f}, {1.5f, 2f, 2.5f}});
  }

  @Test
  void readsAVersionTwoHeader() throws IOException {
    byte[] npy = npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1), }", 3);

    assertThat(NpyReader.readFloat32Matrix(new ByteArrayInputStream(npy)))
        .isDeepEqualTo(new float[][] {{0f}, {0.5f}, {1f}});
  }

  @Test
  void readsAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.npy");
    Files.write(file, npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", 2));

    assertThat(NpyReader.readFloat32Matrix(file)).isDeepEqualTo(new float[][] {{0f, 0.5f}});
  }

  @Test
  void rejectsOtherDtypesOrdersAndShapes() {
    assertRejected(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", 2), "<f8");
    assertRejected(
        npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", 1), "Fortran");
    assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 4), "2-D");
  }

  @Test
  void rejectsShortAndOverlongBodies() {
    assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", 3), null);
    assertRejected(
        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", 3), "left after");
  }

  @Test
  void rejectsAFileWithoutTheMagic() {
    assertRejected("not numpy at all".getBytes(StandardCharsets.US_ASCII), "magic");
  }

  private static void assertRejected(byte[] npy, String messagePart) {
    var thrown =
        assertThatThrownBy(() -> NpyReader.readFloat32Matrix(new ByteArrayInputStream(npy)))
            .isInstanceOf(IOException.class);
    if (messagePart != null) {
      thrown.hasMessageContaining(messagePart);
    }
  }

  /** A .npy file with the given header and {@code values} floats 0, 0.5, 1, ... as body. */
  private static byte[] npy(int version, String dict, int values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
    byte[] header = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer length = ByteBuffer.allocate(version == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
    if (version == 1) {
      length.putShort((short) header.length);
    } else {
      length.putInt(header.length);
    }
    out.writeBytes(length.array());
    out.writeBytes(header);
    ByteBuffer body = ByteBuffer.allocate(values * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values; i++) {
      body.putFloat(i * 0.5f);
    }
    out.writeBytes(body.array());
    return out.toByteArray();
  }
}
