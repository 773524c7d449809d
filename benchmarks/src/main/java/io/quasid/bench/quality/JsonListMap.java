package io.quasid.bench.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the flat JSON maps of the benchmark data, {@code {"id": [token, ...], ...}}, whose values
 * are lists of numbers or strings without nesting. A full JSON library would be the only dependency
 * it brings, so a strict pattern is used and anything else fails loudly.
 */
public final class JsonListMap {

  private static final Pattern ENTRY = Pattern.compile("\"(\\d+)\"\\s*:\\s*\\[([^\\[\\]]*)\\]");

  private JsonListMap() {}

  /** Keys are parsed as integers; list elements are returned as raw tokens, quotes removed. */
  public static Map<Integer, List<String>> parse(String json) {
    Map<Integer, List<String>> out = new HashMap<>();
    Matcher m = ENTRY.matcher(json);
    int consumed = 0;
    while (m.find()) {
      String gap = json.substring(consumed, m.start()).replaceAll("[\\s{},]", "");
      if (!gap.isEmpty()) {
        throw new IllegalArgumentException("unexpected JSON near offset " + consumed + ": " + gap);
      }
      List<String> values = new ArrayList<>();
      for (String token : m.group(2).split(",")) {
        String t = token.strip();
        if (!t.isEmpty()) {
          values.add(t.startsWith("\"") ? t.substring(1, t.length() - 1) : t);
        }
      }
      if (out.put(Integer.parseInt(m.group(1)), values) != null) {
        throw new IllegalArgumentException("duplicate key " + m.group(1));
      }
      consumed = m.end();
    }
    if (!json.substring(consumed).replaceAll("[\\s{},]", "").isEmpty()) {
      throw new IllegalArgumentException("unexpected JSON after offset " + consumed);
    }
    return out;
  }
}
