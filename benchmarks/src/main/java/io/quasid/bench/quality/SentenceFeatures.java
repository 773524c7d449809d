package io.quasid.bench.quality;

import io.quasid.job.sample.ScientificCatalog;
import io.quasid.job.text.ItemTexts;
import io.quasid.job.text.SentenceEncoder;
import io.quasid.model.NpyReader;
import io.quasid.model.NpyWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Item features from the job's own sentence encoder ({@link SentenceEncoder}, on the text the job
 * would compose from the item: {@link ItemTexts}), cached as a .npy beside the data whose name
 * carries the encoder's, so a run after the first reads the file, and a different encoder never
 * reads another's cache.
 */
final class SentenceFeatures {

  /** The cache beside {@code Scientific.item.json}. */
  static final String CACHE_FILE = "Scientific.all-minilm-l6-v2-q.384d.npy";

  private static final int BATCH = 64;

  private SentenceFeatures() {}

  static float[][] load(Path dir, List<Map<String, String>> items, PrintStream out)
      throws IOException {
    Path cache = dir.resolve(CACHE_FILE);
    if (Files.isRegularFile(cache)) {
      float[][] cached = NpyReader.readFloat32Matrix(cache);
      if (cached.length != items.size() || cached[0].length != SentenceEncoder.DIMENSION) {
        throw new IOException(
            cache
                + " holds "
                + cached.length
                + " x "
                + cached[0].length
                + ", not "
                + items.size()
                + " x "
                + SentenceEncoder.DIMENSION
                + ": delete it to embed again");
      }
      out.printf("Scientific: sentence embeddings from %s%n", cache);
      return cached;
    }
    SentenceEncoder encoder = new SentenceEncoder();
    float[][] vectors = new float[items.size()][];
    long start = System.nanoTime();
    for (int from = 0; from < items.size(); from += BATCH) {
      List<String> texts = new ArrayList<>(BATCH);
      for (int i = from; i < Math.min(items.size(), from + BATCH); i++) {
        texts.add(ItemTexts.compose(ScientificCatalog.itemText(items.get(i))));
      }
      float[][] batch = encoder.embed(texts);
      System.arraycopy(batch, 0, vectors, from, batch.length);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(
        "Scientific: %d items embedded by %s in %.1f s (%.0f texts/s)%n",
        items.size(), SentenceEncoder.NAME, seconds, items.size() / seconds);
    try {
      NpyWriter.writeFloat32Matrix(cache, vectors);
      out.printf("Scientific: embeddings cached in %s%n", cache);
    } catch (IOException e) {
      // A read-only data directory costs the next run the embedding time, nothing else.
      out.printf("Scientific: embeddings not cached (%s)%n", e);
    }
    return vectors;
  }
}
