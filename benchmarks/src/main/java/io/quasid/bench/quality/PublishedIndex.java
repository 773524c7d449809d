package io.quasid.bench.quality;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic IDs published by other tokenizers, {@code indexes/<variant>/Beauty.index.json}: 0-based
 * item id to a list of tokens {@code "<a_146>", "<b_3>", ...}; token l carries the code of level l.
 */
public final class PublishedIndex {

  public static final String FILE = "Beauty.index.json";

  private static final Pattern TOKEN = Pattern.compile("<[a-z]_(\\d+)>");

  private PublishedIndex() {}

  /** Codes {@code [numItems][levels]}; fails if an item is missing or levels differ. */
  public static int[][] load(Path dataDir, String variant, int numItems) throws IOException {
    return load(dataDir, FILE, variant, numItems);
  }

  /** Like {@link #load(Path, String, int)} for {@code indexes/<variant>/<fileName>}. */
  public static int[][] load(Path dataDir, String fileName, String variant, int numItems)
      throws IOException {
    Path file = dataDir.resolve("indexes").resolve(variant).resolve(fileName);
    Map<Integer, List<String>> raw = JsonData.listMap(Files.readString(file));
    int[][] codes = new int[numItems][];
    for (Map.Entry<Integer, List<String>> e : raw.entrySet()) {
      int item = e.getKey();
      if (item < 0 || item >= numItems) {
        throw new IOException(file + ": item " + item + " outside [0, " + numItems + ")");
      }
      codes[item] = e.getValue().stream().mapToInt(PublishedIndex::code).toArray();
    }
    for (int i = 0; i < numItems; i++) {
      if (codes[i] == null || codes[i].length != codes[0].length) {
        throw new IOException(file + ": item " + i + " missing or with a different level count");
      }
    }
    return codes;
  }

  /** The first {@code levels} columns of {@code codes}. */
  public static int[][] truncate(int[][] codes, int levels) {
    int[][] out = new int[codes.length][];
    for (int i = 0; i < codes.length; i++) {
      if (codes[i].length < levels) {
        throw new IllegalArgumentException("item " + i + " has fewer than " + levels + " levels");
      }
      out[i] = java.util.Arrays.copyOf(codes[i], levels);
    }
    return out;
  }

  static int code(String token) {
    Matcher m = TOKEN.matcher(token);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a code token: " + token);
    }
    return Integer.parseInt(m.group(1));
  }
}
