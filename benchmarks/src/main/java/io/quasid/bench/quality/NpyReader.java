package io.quasid.bench.quality;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a 2-D little-endian float32 C-order {@code .npy} array (NumPy format v1–v3). */
public final class NpyReader {

  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d+)\\)");

  private NpyReader() {}

  public static float[][] readFloatMatrix(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (buf.get() != (byte) 0x93 || buf.get() != 'N' || buf.get() != 'U') {
      throw new IOException("not a .npy file: " + file);
    }
    buf.position(6);
    int major = buf.get();
    buf.get();
    int headerLength = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
    byte[] headerBytes = new byte[headerLength];
    buf.get(headerBytes);
    String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
    if (!header.contains("'descr': '<f4'") || header.contains("'fortran_order': True")) {
      throw new IOException("only little-endian float32 C-order arrays are supported: " + header);
    }
    Matcher m = SHAPE.matcher(header);
    if (!m.find()) {
      throw new IOException("expected a 2-D shape in header: " + header);
    }
    int rows = Integer.parseInt(m.group(1));
    int cols = Integer.parseInt(m.group(2));
    if (buf.remaining() != (long) rows * cols * Float.BYTES) {
      throw new IOException("payload size does not match shape " + rows + "x" + cols);
    }
    float[][] out = new float[rows][cols];
    for (float[] row : out) {
      buf.asFloatBuffer().get(row);
      buf.position(buf.position() + cols * Float.BYTES);
    }
    return out;
  }
}
