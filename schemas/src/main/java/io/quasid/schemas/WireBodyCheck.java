package io.quasid.schemas;

import java.util.List;
import org.apache.avro.Schema;

/**
 * Walks an Avro binary body with its writer schema and checks every length it declares (string and
 * bytes lengths, array and map item counts, union branches) against the bytes that are really
 * there, and that every string is well-formed UTF-8, without allocating anything.
 *
 * <p>Why: Avro's decoder allocates what a body declares before reading it, so a 22-byte record that
 * declares 4e8 floats or a 1.5e9-byte string throws {@link OutOfMemoryError} (a task failure that
 * replays the same record forever), and Avro's own {@code org.apache.avro.limits.*} are JVM-wide
 * system properties read once. A declared length can never exceed the remaining payload: a string
 * needs its bytes, an array item at least its type's smallest encoding. And Avro's decoder turns
 * bytes that are not UTF-8 into U+FFFD without a word, so an item id or a text to embed would
 * silently become another one; the Avro spec says strings are UTF-8, so such a body is malformed.
 */
final class WireBodyCheck {

  /** Deeper nesting than this is refused (guards recursive schemas against stack overflow). */
  private static final int MAX_DEPTH = 64;

  private final byte[] buf;
  private int pos;

  private WireBodyCheck(byte[] buf, int offset) {
    this.buf = buf;
    this.pos = offset;
  }

  /**
   * Checks the body of {@code payload} starting at {@code offset} against {@code writer}.
   *
   * @return null when every declared length fits, else the reason (for a dead letter)
   */
  static String violation(Schema writer, byte[] payload, int offset) {
    WireBodyCheck check = new WireBodyCheck(payload, offset);
    try {
      check.value(writer, writer.getName(), 0);
      return null;
    } catch (Violation v) {
      return v.getMessage();
    }
  }

  private void value(Schema s, String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw new Violation(path + ": nested deeper than " + MAX_DEPTH);
    }
    switch (s.getType()) {
      case NULL -> {}
      case BOOLEAN -> skip(1, path);
      case INT, LONG, ENUM -> readLong(path);
      case FLOAT -> skip(4, path);
      case DOUBLE -> skip(8, path);
      case FIXED -> skip(s.getFixedSize(), path);
      case STRING, BYTES -> {
        long n = readLong(path);
        if (n < 0 || n > remaining()) {
          throw new Violation(
              path + " declares " + n + " bytes, " + remaining() + " remain in the record");
        }
        if (s.getType() == Schema.Type.STRING) {
          requireUtf8((int) n, path);
        }
        pos += (int) n;
      }
      case ARRAY -> blocks(s.getElementType(), false, path, depth);
      case MAP -> blocks(s.getValueType(), true, path, depth);
      case UNION -> {
        List<Schema> branches = s.getTypes();
        long branch = readLong(path);
        if (branch < 0 || branch >= branches.size()) {
          throw new Violation(path + " selects union branch " + branch + " of " + branches.size());
        }
        value(branches.get((int) branch), path, depth + 1);
      }
      case RECORD -> {
        for (Schema.Field f : s.getFields()) {
          value(f.schema(), path + "." + f.name(), depth + 1);
        }
      }
    }
  }

  private void blocks(Schema item, boolean withKeys, String path, int depth) {
    int itemBytes = Math.max(1, minBytes(item, 0) + (withKeys ? 1 : 0));
    while (true) {
      long count = readLong(path);
      if (count == 0) {
        return;
      }
      if (count < 0) {
        count = -count;
        long blockBytes = readLong(path);
        if (blockBytes < 0 || blockBytes > remaining()) {
          throw new Violation(
              path + " declares a block of " + blockBytes + " bytes, " + remaining() + " remain");
        }
      }
      if (count < 0 || count > remaining() / itemBytes) {
        throw new Violation(
            path
                + " declares "
                + count
                + " items of at least "
                + itemBytes
                + " bytes, "
                + remaining()
                + " bytes remain in the record");
      }
      int width = fixedWidth(item);
      if (width > 0 && !withKeys) {
        // Feature vectors are float arrays: one bounds check per block, not a path per element.
        skip((int) (count * width), path);
        continue;
      }
      for (long i = 0; i < count; i++) {
        if (withKeys) {
          value(Schema.create(Schema.Type.STRING), path + "{key}", depth + 1);
        }
        value(item, path + "[" + i + "]", depth + 1);
      }
    }
  }

  /** The exact wire size of a value of {@code s}, or 0 when it varies. */
  private static int fixedWidth(Schema s) {
    return switch (s.getType()) {
      case BOOLEAN -> 1;
      case FLOAT -> 4;
      case DOUBLE -> 8;
      case FIXED -> s.getFixedSize();
      default -> 0;
    };
  }

  /** The fewest bytes a value of {@code s} can take on the wire. */
  private static int minBytes(Schema s, int depth) {
    if (depth > MAX_DEPTH) {
      return 0;
    }
    return switch (s.getType()) {
      case NULL -> 0;
      case BOOLEAN, INT, LONG, ENUM, STRING, BYTES, ARRAY, MAP -> 1;
      case FLOAT -> 4;
      case DOUBLE -> 8;
      case FIXED -> s.getFixedSize();
      case UNION -> 1 + s.getTypes().stream().mapToInt(b -> minBytes(b, depth + 1)).min().orElse(0);
      case RECORD -> s.getFields().stream().mapToInt(f -> minBytes(f.schema(), depth + 1)).sum();
    };
  }

  /** Well-formed UTF-8 (RFC 3629): no overlong forms, surrogates or code points past U+10FFFF. */
  private void requireUtf8(int length, String path) {
    int end = pos + length;
    int i = pos;
    while (i < end) {
      int b = buf[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int extra;
      int cp;
      int min;
      if (b >= 0xC2 && b <= 0xDF) {
        extra = 1;
        cp = b & 0x1F;
        min = 0x80;
      } else if (b >= 0xE0 && b <= 0xEF) {
        extra = 2;
        cp = b & 0x0F;
        min = 0x800;
      } else if (b >= 0xF0 && b <= 0xF4) {
        extra = 3;
        cp = b & 0x07;
        min = 0x10000;
      } else {
        throw notUtf8(path, i - pos);
      }
      if (i + extra >= end) {
        throw notUtf8(path, i - pos);
      }
      for (int k = 1; k <= extra; k++) {
        int c = buf[i + k] & 0xFF;
        if ((c & 0xC0) != 0x80) {
          throw notUtf8(path, i - pos);
        }
        cp = (cp << 6) | (c & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        throw notUtf8(path, i - pos);
      }
      i += extra + 1;
    }
  }

  private static Violation notUtf8(String path, int at) {
    return new Violation(path + " is not valid UTF-8 (at byte " + at + " of the string)");
  }

  private int remaining() {
    return buf.length - pos;
  }

  private void skip(int n, String path) {
    if (n > remaining()) {
      throw new Violation(path + " needs " + n + " bytes, " + remaining() + " remain");
    }
    pos += n;
  }

  /** Avro's zig-zag varint long. */
  private long readLong(String path) {
    long raw = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= buf.length) {
        throw new Violation(path + " is truncated");
      }
      int b = buf[pos++] & 0xFF;
      raw |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new Violation(path + " holds a varint longer than 10 bytes");
  }

  private static final class Violation extends RuntimeException {
    Violation(String message) {
      super(message, null, false, false);
    }
  }
}
