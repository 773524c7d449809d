package io.quasid.job.sample;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quasid.model.NpyReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundled Amazon 2014 "Beauty" 5-core sample (resources {@code sample/beauty}, see the README
 * there): 12,101 items with 64-d S3-Rec embeddings and a product group, and 22,363 users' item
 * sequences. Item ids are the 1-based numbers of Beauty.txt as strings, "1" to "12101".
 *
 * <p>The product group of an item is its first anonymised attribute id (a brand or category, as a
 * string), or null when it has none. It is a coarse stand-in for "variants of one product".
 */
public final class BeautyCatalog {

  private static final String ROOT = "/sample/beauty/";

  private final float[][] features;
  private final String[] productGroups;
  private final List<UserSequence> sequences;

  private BeautyCatalog(float[][] features, String[] productGroups, List<UserSequence> sequences) {
    this.features = features;
    this.productGroups = productGroups;
    this.sequences = List.copyOf(sequences);
  }

  /** Loads the sample from the classpath (about 4 MB, well under a second). */
  public static BeautyCatalog load() {
    try {
      float[][] features;
      try (InputStream in = open("Beauty.s3rec-pretrain-64d.npy")) {
        features = NpyReader.readFloat32Matrix(in);
      }
      String[] groups = readProductGroups(features.length);
      List<UserSequence> sequences = readSequences(features.length);
      return new BeautyCatalog(features, groups, sequences);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the bundled Beauty sample", e);
    }
  }

  public int size() {
    return features.length;
  }

  public int dimension() {
    return features[0].length;
  }

  /** "1" to "{@link #size()}", in order. */
  public List<String> itemIds() {
    List<String> ids = new ArrayList<>(features.length);
    for (int n = 1; n <= features.length; n++) {
      ids.add(Integer.toString(n));
    }
    return ids;
  }

  /** A copy of the item's feature vector. */
  public float[] features(String itemId) {
    return features[index(itemId)].clone();
  }

  /** The item's product group, or null. */
  public String productGroup(String itemId) {
    return productGroups[index(itemId)];
  }

  /** Every user's sequence, in the file's user order. */
  public List<UserSequence> sequences() {
    return sequences;
  }

  public long interactionCount() {
    return sequences.stream().mapToLong(s -> s.itemIds().size()).sum();
  }

  private int index(String itemId) {
    int n;
    try {
      n = Integer.parseInt(itemId);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a Beauty item id: '" + itemId + "'", e);
    }
    if (n < 1 || n > features.length) {
      throw new IllegalArgumentException(
          "Beauty item ids run from 1 to " + features.length + ", got " + itemId);
    }
    return n - 1;
  }

  private static String[] readProductGroups(int items) throws IOException {
    Map<Integer, List<String>> attributes;
    try (InputStream in = open("Beauty_item2attributes.json")) {
      attributes =
          new ObjectMapper()
              .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
              .readValue(in, new TypeReference<HashMap<Integer, List<String>>>() {});
    }
    String[] groups = new String[items];
    for (Map.Entry<Integer, List<String>> e : attributes.entrySet()) {
      int item = e.getKey();
      if (item < 1 || item > items) {
        throw new IOException("attribute file names item " + item + " outside 1.." + items);
      }
      groups[item - 1] = e.getValue().isEmpty() ? null : e.getValue().get(0);
    }
    return groups;
  }

  private static List<UserSequence> readSequences(int items) throws IOException {
    List<UserSequence> sequences = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(open("Beauty.txt"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.strip().split(" ");
        List<String> itemIds = Arrays.asList(fields).subList(1, fields.length);
        for (String id : itemIds) {
          int n = Integer.parseInt(id);
          if (n < 1 || n > items) {
            throw new IOException("user " + fields[0] + " has unknown item " + id);
          }
        }
        sequences.add(new UserSequence(fields[0], itemIds));
      }
    }
    return sequences;
  }

  private static InputStream open(String name) throws IOException {
    InputStream in = BeautyCatalog.class.getResourceAsStream(ROOT + name);
    if (in == null) {
      throw new IOException("missing classpath resource " + ROOT + name);
    }
    return in;
  }
}
