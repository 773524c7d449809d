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
 * Loads the Amazon Beauty 5-core benchmark as published in {@code shared/data/beauty}: the 64-d
 * S3-Rec item vectors, the sequences (ids shifted to 0-based) and each item's first attribute as
 * its product group.
 */
public final class BeautyDataset {

  public static final String VECTORS_FILE = "Beauty.s3rec-pretrain-64d.npy";
  public static final String SEQUENCES_FILE = "Beauty.txt";
  public static final String ATTRIBUTES_FILE = "Beauty_item2attributes.json";

  private BeautyDataset() {}

  public static CatalogueData load(Path dir) throws IOException {
    float[][] vectors = NpyReader.readFloat32Matrix(dir.resolve(VECTORS_FILE));
    int[][] sequences = readSequences(dir.resolve(SEQUENCES_FILE), vectors.length);
    int[] groups = readGroups(dir.resolve(ATTRIBUTES_FILE), vectors.length);
    return new CatalogueData(vectors, sequences, groups);
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
    Map<Integer, List<String>> attributes = JsonData.listMap(Files.readString(file));
    for (Map.Entry<Integer, List<String>> e : attributes.entrySet()) {
      int item = e.getKey() - 1;
      if (item >= 0 && item < numItems && !e.getValue().isEmpty()) {
        groups[item] = Integer.parseInt(e.getValue().get(0));
      }
    }
    return groups;
  }
}
