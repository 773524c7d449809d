package io.quasid.bench.quality;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the Amazon 2018 "Industrial and Scientific" 5-core text track ({@code
 * shared/data/scientific}): item text to features in process ({@link TextFeatures}: TF-IDF then a
 * truncated SVD, nothing downloaded), the sequences (0-based ids) and each item's leaf category
 * path as its product group.
 */
public final class ScientificDataset {

  public static final String ITEMS_FILE = "Scientific.item.json";
  public static final String SEQUENCES_FILE = "Scientific.inter.json";

  /** Features per item: the width of the Beauty vectors, so the tokenizer is unchanged. */
  public static final int FEATURE_DIM = 64;

  private ScientificDataset() {}

  public static CatalogueData load(Path dir, long seed) throws IOException {
    Map<Integer, Map<String, String>> items =
        JsonData.stringRecords(Files.readString(dir.resolve(ITEMS_FILE)));
    int n = items.size();
    String[] documents = new String[n];
    int[] groups = new int[n];
    Map<String, Integer> groupIds = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> item = items.get(i);
      if (item == null) {
        throw new IOException(
            ITEMS_FILE + ": item " + i + " missing (ids must be 0.." + (n - 1) + ")");
      }
      documents[i] = document(item);
      String category = item.getOrDefault("categories", "").strip();
      groups[i] =
          category.isEmpty() ? -1 : groupIds.computeIfAbsent(category, k -> groupIds.size());
    }
    float[][] vectors = TextFeatures.tfidfSvd(documents, FEATURE_DIM, seed);
    Map<Integer, List<String>> raw =
        JsonData.listMap(Files.readString(dir.resolve(SEQUENCES_FILE)));
    int[][] sequences = new int[raw.size()][];
    for (int u = 0; u < sequences.length; u++) {
      List<String> seq = raw.get(u);
      if (seq == null) {
        throw new IOException(SEQUENCES_FILE + ": user " + u + " missing");
      }
      sequences[u] = seq.stream().mapToInt(Integer::parseInt).toArray();
      for (int item : sequences[u]) {
        if (item < 0 || item >= n) {
          throw new IOException(SEQUENCES_FILE + ": item " + item + " out of range");
        }
      }
    }
    return new CatalogueData(vectors, sequences, groups);
  }

  /** Title and brand twice (short, the most specific), then categories and description. */
  static String document(Map<String, String> item) {
    String title = item.getOrDefault("title", "");
    String brand = item.getOrDefault("brand", "");
    return String.join(
        " ",
        title,
        title,
        brand,
        brand,
        item.getOrDefault("categories", ""),
        item.getOrDefault("description", ""));
  }
}
