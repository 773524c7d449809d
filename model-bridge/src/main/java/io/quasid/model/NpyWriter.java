package io.quasid.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a 2-D little-endian float32 matrix in numpy's .npy format (version 1.0), the form {@link
 * NpyReader} and numpy read. The file appears atomically (written beside it, then moved), so a
 * cache that a crash interrupted is never mistaken for a whole one.
 */
public final class NpyWriter {

  private NpyWriter() {}

  public static void writeFloat32Matrix(Path file, float[][] matrix) throws IOException {
    int cols = matrix.length == 0 ? 0 : matrix[0].length;
    String dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': ("
            + matrix.length
            + ", "
            + cols
            + "), }";
    // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64 and
    // ended by a newline, as numpy writes it.
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer body =
        ByteBuffer.allocate(Math.multiplyExact(matrix.length * cols, Float.BYTES))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : matrix) {
      if (row.length != cols) {
        throw new IllegalArgumentException("ragged matrix: rows of " + cols + " and " + row.length);
      }
      for (float v : row) {
        body.putFloat(v);
      }
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
      out.write(header.length() & 0xff);
      out.write(header.length() >>> 8);
      out.write(header.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body.array());
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
