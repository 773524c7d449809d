package io.quasid.model;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a 2-D little-endian float32 matrix in C order from numpy's .npy format (versions 1-3), the
 * form item-feature matrices come in (the bundled sample, the benchmark data). Anything else is
 * rejected rather than misread.
 */
public final class NpyReader {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE =
      Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)");

  /** Returns the matrix in {@code file} as rows. */
  public static float[][] readFloat32Matrix(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return readFloat32Matrix(in);
    }
  }

  /** Returns the matrix as rows; reads the stream to its end and does not close it. */
  public static float[][] readFloat32Matrix(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    byte[] magic = new byte[MAGIC.length];
    in.readFully(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException("not a .npy file: bad magic");
    }
    int major = in.readUnsignedByte();
    in.readUnsignedByte();
    int headerLength =
        switch (major) {
          case 1 -> Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
          case 2, 3 -> Integer.reverseBytes(in.readInt());
          default -> throw new IOException("unsupported .npy version " + major);
        };
    byte[] headerBytes = new byte[headerLength];
    in.readFully(headerBytes);
    String header = new String(headerBytes, StandardCharsets.ISO_8859_1);

    String descr = group(DESCR, header, "descr");
    if (!descr.equals("<f4")) {
      throw new IOException("expected little-endian float32 ('<f4'), found '" + descr + "'");
    }
    if (group(FORTRAN, header, "fortran_order").equals("True")) {
      throw new IOException("Fortran-ordered arrays are not supported");
    }
    Matcher shape = SHAPE.matcher(header);
    if (!shape.find()) {
      throw new IOException("expected a 2-D shape in header: " + header.strip());
    }
    int rows = Integer.parseInt(shape.group(1));
    int cols = Integer.parseInt(shape.group(2));

    byte[] body = new byte[Math.multiplyExact(Math.multiplyExact(rows, cols), Float.BYTES)];
    in.readFully(body);
    if (in.read() >= 0) {
      throw new IOException("bytes left after the " + rows + "x" + cols + " matrix");
    }
    FloatBuffer floats = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[][] matrix = new float[rows][cols];
    for (float[] row : matrix) {
      floats.get(row);
    }
    return matrix;
  }

  private static String group(Pattern pattern, String header, String key) throws IOException {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new IOException("no '" + key + "' in header: " + header.strip());
    }
    return m.group(1);
  }

  private NpyReader() {}
}
