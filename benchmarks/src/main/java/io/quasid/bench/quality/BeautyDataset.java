package io.quasid.bench.quality;

import io.quasid.model.NpyReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Amazon Beauty 5-core benchmark as published in {@code shared/data/beauty}. All item ids here
 * are 0-based (file id - 1), so item i is row i of {@link #vectors()}.
 *
 * @param vectors item feature vectors {@code [items][64]}
 * @param sequences per-user item sequences in time order
 * @param groupIds product group of each item (its first attribute), -1 when it has none
 */
public record BeautyDataset(float[][] vectors, int[][] sequences, int[] groupIds) {

  public static final String VECTORS_FILE = "Beauty.s3rec-pretrain-64d.npy";
  public static final String SEQUENCES_FILE = "Beauty.txt";
  public static final String ATTRIBUTES_FILE = "Beauty_item2attributes.json";

  public int numItems() {
    return vectors.length;
  }

  public int numUsers() {
    return sequences.length;
  }

  public long numInteractions() {
    return Arrays.stream(sequences).mapToLong(s -> s.length).sum();
  }

  public static BeautyDataset load(Path dir) throws IOException {
    float[][] vectors = NpyReader.readFloat32Matrix(dir.resolve(VECTORS_FILE));
    int[][] sequences = readSequences(dir.resolve(SEQUENCES_FILE), vectors.length);
    int[] groups = readGroups(dir.resolve(ATTRIBUTES_FILE), vectors.length);
    return new BeautyDataset(vectors, sequences, groups);
  }

  private static int[][] readSequences(Path file, int numItems) throws IOException {
    List<int[]> users = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.strip().split("\\s+");
      int[] seq = new int[parts.length - 1];
      for (int i = 1; i < parts.length; i++) {
        seq[i - 1] = Integer.parseInt(parts[i]) - 1;
        if (seq[i - 1] < 0 || seq[i - 1] >= numItems) {
          throw new IOException("item id out of range in " + file + ": " + parts[i]);
        }
      }
      users.add(seq);
    }
    return users.toArray(new int[0][]);
  }

  private static int[] readGroups(Path file, int numItems) throws IOException {
    int[] groups = new int[numItems];
    Arrays.fill(groups, -1);
    Map<Integer, List<String>> attributes = JsonListMap.parse(Files.readString(file));
    for (Map.Entry<Integer, List<String>> e : attributes.entrySet()) {
      int item = e.getKey() - 1;
      if (item >= 0 && item < numItems && !e.getValue().isEmpty()) {
        groups[item] = Integer.parseInt(e.getValue().get(0));
      }
    }
    return groups;
  }
}
