package io.quasid.job.sample;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quasid.schemas.ItemText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bundled Amazon "Industrial and Scientific" sample (see sample/scientific/README.md): items
 * described by text only, for the demo's text mode. Item and user ids are the files' 0-based ids as
 * strings.
 */
public final class ScientificCatalog {

  private static final String ROOT = "/sample/scientific/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<Integer, ItemText> texts;
  private final List<UserSequence> sequences;

  private ScientificCatalog(Map<Integer, ItemText> texts, List<UserSequence> sequences) {
    this.texts = texts;
    this.sequences = List.copyOf(sequences);
  }

  public static ScientificCatalog load() {
    try {
      Map<Integer, Map<String, String>> items =
          read(
              "Scientific.item.json",
              new TypeReference<TreeMap<Integer, Map<String, String>>>() {});
      Map<Integer, ItemText> texts = new TreeMap<>();
      items.forEach((id, fields) -> texts.put(id, itemText(fields)));
      Map<Integer, List<Integer>> users =
          read("Scientific.inter.json", new TypeReference<TreeMap<Integer, List<Integer>>>() {});
      List<UserSequence> sequences = new ArrayList<>(users.size());
      users.forEach(
          (user, itemIds) ->
              sequences.add(
                  new UserSequence(
                      Integer.toString(user), itemIds.stream().map(String::valueOf).toList())));
      return new ScientificCatalog(texts, sequences);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the bundled Scientific sample", e);
    }
  }

  /** An item of {@code Scientific.item.json} (title, brand, categories, description) as text. */
  public static ItemText itemText(Map<String, String> fields) {
    String categories = fields.getOrDefault("categories", "");
    return ItemText.newBuilder()
        .setTitle(fields.get("title"))
        .setBrand(fields.get("brand"))
        .setCategories(
            categories == null || categories.isBlank()
                ? List.of()
                : Arrays.stream(categories.split(",")).map(String::strip).toList())
        .setDescription(fields.get("description"))
        .build();
  }

  private static <T> T read(String file, TypeReference<T> type) throws IOException {
    try (InputStream in = ScientificCatalog.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IOException("missing " + ROOT + file + " on the classpath");
      }
      return JSON.readValue(in, type);
    }
  }

  public int size() {
    return texts.size();
  }

  public List<String> itemIds() {
    return texts.keySet().stream().map(String::valueOf).toList();
  }

  public ItemText text(String itemId) {
    return texts.get(Integer.parseInt(itemId));
  }

  public List<UserSequence> sequences() {
    return sequences;
  }
}
