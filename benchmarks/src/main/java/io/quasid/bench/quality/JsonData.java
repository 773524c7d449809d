package io.quasid.bench.quality;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON files of the benchmark data with Jackson: strict about duplicate keys, trailing
 * content and types, so a changed file fails loudly instead of being half read.
 */
public final class JsonData {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonData() {}

  /**
   * {@code {"id": [token, ...], ...}}: integer keys, lists of numbers or strings, returned as
   * strings.
   */
  public static Map<Integer, List<String>> listMap(String json) {
    return read(json, new TypeReference<HashMap<Integer, List<String>>>() {});
  }

  /**
   * {@code {"0": {"title": "...", "brand": null}, ...}}: integer keys, objects of strings; a null
   * value reads as "".
   */
  public static Map<Integer, Map<String, String>> stringRecords(String json) {
    Map<Integer, LinkedHashMap<String, String>> raw =
        read(json, new TypeReference<HashMap<Integer, LinkedHashMap<String, String>>>() {});
    Map<Integer, Map<String, String>> out = new HashMap<>();
    raw.forEach(
        (key, fields) -> {
          fields.replaceAll((name, value) -> value == null ? "" : value);
          out.put(key, fields);
        });
    return out;
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw new IllegalArgumentException("unexpected JSON: " + e.getMessage(), e);
    }
  }
}
