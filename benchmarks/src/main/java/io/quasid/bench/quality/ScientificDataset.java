package io.quasid.bench.quality;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads the Amazon 2018 "Industrial and Scientific" 5-core text track ({@code
 * shared/data/scientific}): item text to features in process (TF-IDF then a truncated SVD, {@link
 * TextFeatures}; or the job's sentence encoder, {@link SentenceFeatures}: nothing downloaded either
 * way), the sequences (0-based ids), each item's leaf category path as its product group, and its
 * digit twins.
 */
public final class ScientificDataset {

  public static final String ITEMS_FILE = "Scientific.item.json";
  public static final String SEQUENCES_FILE = "Scientific.inter.json";

  /** Features per item: the width of the Beauty vectors, so the tokenizer is unchanged. */
  public static final int FEATURE_DIM = 64;

  private ScientificDataset() {}

  /** How item text becomes the tokenizer's input. */
  public enum Features {
    /** TF-IDF then a truncated SVD to {@link #FEATURE_DIM}, fitted on this catalogue. */
    TFIDF_SVD,
    /** The job's sentence encoder (384-d), cached beside the data. */
    SENTENCE
  }

  public static CatalogueData load(Path dir, long seed) throws IOException {
    return load(dir, seed, Features.TFIDF_SVD, System.out);
  }

  public static CatalogueData load(Path dir, long seed, Features features, PrintStream out)
      throws IOException {
    Map<Integer, Map<String, String>> items =
        JsonData.stringRecords(Files.readString(dir.resolve(ITEMS_FILE)));
    int n = items.size();
    List<Map<String, String>> rows = new ArrayList<>(n);
    String[] documents = new String[n];
    int[] groups = new int[n];
    Map<String, Integer> groupIds = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> item = items.get(i);
      if (item == null) {
        throw new IOException(
            ITEMS_FILE + ": item " + i + " missing (ids must be 0.." + (n - 1) + ")");
      }
      rows.add(item);
      documents[i] = document(item);
      String category = item.getOrDefault("categories", "").strip();
      groups[i] =
          category.isEmpty() ? -1 : groupIds.computeIfAbsent(category, k -> groupIds.size());
    }
    float[][] vectors =
        features == Features.SENTENCE
            ? SentenceFeatures.load(dir, rows, out)
            : TextFeatures.tfidfSvd(documents, FEATURE_DIM, seed);
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
    return new CatalogueData(vectors, sequences, groups, digitTwins(rows));
  }

  private static final Pattern DIGITS = Pattern.compile("[0-9]");
  private static final Pattern PUNCTUATION =
      Pattern.compile("[^\\w\\s]|_", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  /**
   * Items whose title, brand, categories and description equal another item's once digits and
   * punctuation are dropped and case is folded: "M3 screw, 10 mm" and "M4 screw, 12 mm". Their
   * features are near-identical by construction, so they are where a tokenizer collides first.
   */
  static boolean[] digitTwins(List<Map<String, String>> items) {
    Map<String, Integer> seen = new HashMap<>();
    for (Map<String, String> item : items) {
      seen.merge(skeleton(item), 1, Integer::sum);
    }
    boolean[] twins = new boolean[items.size()];
    for (int i = 0; i < twins.length; i++) {
      twins[i] = seen.get(skeleton(items.get(i))) > 1;
    }
    return twins;
  }

  private static String skeleton(Map<String, String> item) {
    String text =
        String.join(
            " ",
            item.getOrDefault("title", ""),
            item.getOrDefault("brand", ""),
            item.getOrDefault("categories", ""),
            item.getOrDefault("description", ""));
    text = DIGITS.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
    return SPACES.matcher(PUNCTUATION.matcher(text).replaceAll(" ")).replaceAll(" ").strip();
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
