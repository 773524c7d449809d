package io.quasid.job;

import io.quasid.job.sample.BeautyCatalog;
import io.quasid.model.Encoding;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker ITCases' tokenizer: a small model (3 levels of 16 codes, latent 16) whose codebooks
 * are k-means-initialised on the first items of the bundled Beauty catalogue, so a job over those
 * items starts in seconds and spreads them over many buckets.
 *
 * @param snapshot the model's snapshot file, for {@code --model.snapshot}
 * @param vectors the items' features, in catalogue order
 * @param codes the codes the model gives each item
 */
record TinyBeautyModel(Path snapshot, Map<String, float[]> vectors, Map<String, int[]> codes) {

  /** The model of the first {@code items} Beauty items, written to {@code dir}. */
  static TinyBeautyModel write(Path dir, int items) throws Exception {
    BeautyCatalog catalog = BeautyCatalog.load();
    Map<String, float[]> vectors = new LinkedHashMap<>();
    catalog.itemIds().subList(0, items).forEach(id -> vectors.put(id, catalog.features(id)));
    float[][] matrix = vectors.values().toArray(float[][]::new);
    QuasidConfig config =
        QuasidConfig.builder(catalog.dimension())
            .encoderHidden(64)
            .latentDim(16)
            .levels(3)
            .codebookSize(16)
            .kmeansIterations(5)
            .build();
    try (QuasidModel model = QuasidModel.create(config)) {
      model.initCodebooks(matrix);
      Path snapshot = dir.resolve("initial.snapshot");
      Files.write(snapshot, model.snapshot().bytes());
      Encoding encoding = model.encode(matrix);
      Map<String, int[]> codes = new HashMap<>();
      int i = 0;
      for (String id : vectors.keySet()) {
        codes.put(id, encoding.codes()[i++]);
      }
      return new TinyBeautyModel(snapshot, vectors, codes);
    }
  }

  /** The items' ids, in catalogue order. */
  List<String> itemIds() {
    return List.copyOf(vectors.keySet());
  }
}
