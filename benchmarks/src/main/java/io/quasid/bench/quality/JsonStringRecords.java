package io.quasid.bench.quality;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the item files of the text track, {@code {"0": {"title": "...", "brand": "..."}, ...}}: an
 * object of objects whose values are strings (or null, read as ""). A strict little
 * recursive-descent reader; anything else fails loudly. Keys of the outer object are integers.
 */
public final class JsonStringRecords {

  private final String s;
  private int pos;

  private JsonStringRecords(String s) {
    this.s = s;
  }

  public static Map<Integer, Map<String, String>> parse(String json) {
    JsonStringRecords p = new JsonStringRecords(json);
    Map<Integer, Map<String, String>> out = new HashMap<>();
    p.expect('{');
    if (!p.tryConsume('}')) {
      do {
        int key = Integer.parseInt(p.string());
        p.expect(':');
        if (out.put(key, p.record()) != null) {
          throw p.error("duplicate key " + key);
        }
      } while (p.tryConsume(','));
      p.expect('}');
    }
    p.skipSpace();
    if (p.pos != json.length()) {
      throw p.error("trailing content");
    }
    return out;
  }

  private Map<String, String> record() {
    Map<String, String> fields = new LinkedHashMap<>();
    expect('{');
    if (tryConsume('}')) {
      return fields;
    }
    do {
      String name = string();
      expect(':');
      skipSpace();
      if (s.startsWith("null", pos)) {
        pos += 4;
        fields.put(name, "");
      } else {
        fields.put(name, string());
      }
    } while (tryConsume(','));
    expect('}');
    return fields;
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  private void skipSpace() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private boolean tryConsume(char c) {
    skipSpace();
    if (pos < s.length() && s.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!tryConsume(c)) {
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at offset " + pos);
  }
}
