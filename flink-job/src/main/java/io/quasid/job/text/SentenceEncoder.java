package io.quasid.job.text;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The in-process sentence encoder: all-MiniLM-L6-v2, int8-quantized, on ONNX Runtime (from Maven
 * Central, no model hub at run time). The encoder has no batched inference: it runs one ONNX call
 * per text. Here the texts of a list run one after another on the calling thread (the stage's
 * worker), and each call uses ONNX Runtime's intra-op threads as configured. The ONNX session is
 * loaded once per class loader and thread setting, and shared by the tasks in it.
 */
public final class SentenceEncoder {

  /** The encoder's identity, recorded beside what it embeds. */
  public static final String NAME = "all-minilm-l6-v2-q (langchain4j 1.19.0-beta29)";

  public static final int DIMENSION = 384;

  private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
  private static final ConcurrentMap<Integer, Session> SESSIONS = new ConcurrentHashMap<>();

  private final Session session;

  /** ONNX Runtime's own threading: intra-op threads on every core, spinning between calls. */
  public SentenceEncoder() {
    this(0);
  }

  /**
   * @param intraOpThreads ONNX Runtime threads inside one call; 0 for its default (one per core,
   *     spinning while idle), else that many, which sleep while idle
   */
  public SentenceEncoder(int intraOpThreads) {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intra-op threads must be >= 0, got " + intraOpThreads);
    }
    session = SESSIONS.computeIfAbsent(intraOpThreads, Session::load);
  }

  /** One unit-length vector per text, in order. */
  public float[][] embed(List<String> texts) {
    List<Embedding> embeddings =
        session.embedAll(texts.stream().map(TextSegment::from).toList()).content();
    float[][] vectors = new float[texts.size()][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = embeddings.get(i).vector();
    }
    return vectors;
  }

  /** The model of langchain4j's {@code AllMiniLmL6V2QuantizedEmbeddingModel}, on our session. */
  private static final class Session extends AbstractInProcessEmbeddingModel {

    private final OnnxBertBiEncoder encoder;

    private Session(OnnxBertBiEncoder encoder) {
      super(Runnable::run);
      this.encoder = encoder;
    }

    static Session load(int intraOpThreads) {
      try (InputStream model = resource(MODEL_RESOURCE);
          InputStream tokenizer = resource(TOKENIZER_RESOURCE)) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        if (intraOpThreads > 0) {
          options.setIntraOpNumThreads(intraOpThreads);
          // Capped threads sleep while idle: the stage takes no more cores than it was given.
          options.addConfigEntry("session.intra_op.allow_spinning", "0");
        }
        OrtSession session = environment.createSession(model.readAllBytes(), options);
        return new Session(
            new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the sentence encoder from the classpath", e);
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime cannot load the sentence encoder", e);
      }
    }

    private static InputStream resource(String name) throws IOException {
      InputStream in = SentenceEncoder.class.getClassLoader().getResourceAsStream(name);
      if (in == null) {
        throw new IOException(name + " is not on the classpath");
      }
      return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return DIMENSION;
    }
  }
}
