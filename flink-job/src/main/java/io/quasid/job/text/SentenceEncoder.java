package io.quasid.job.text;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;

/**
 * The in-process sentence encoder: all-MiniLM-L6-v2, int8-quantized, on ONNX Runtime (from Maven
 * Central, no model hub at run time). The encoder has no batched inference: it runs one ONNX call
 * per text, and would spread a list over a private pool of one thread per core. Here the texts of a
 * list run one after another on the calling thread (the stage's worker), so the stage uses what
 * {@code text.parallelism} gives it and no more; ONNX Runtime's own intra-op threads come on top.
 * The ONNX session is loaded once per class loader and shared by the tasks in it.
 */
public final class SentenceEncoder {

  /** The encoder's identity, recorded beside what it embeds. */
  public static final String NAME = "all-minilm-l6-v2-q (langchain4j 1.19.0-beta29)";

  public static final int DIMENSION = 384;

  private final AllMiniLmL6V2QuantizedEmbeddingModel model =
      new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);

  /** One unit-length vector per text, in order. */
  public float[][] embed(List<String> texts) {
    List<Embedding> embeddings =
        model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
    float[][] vectors = new float[texts.size()][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = embeddings.get(i).vector();
    }
    return vectors;
  }
}
