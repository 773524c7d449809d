package io.quasid.job.pipeline;

import io.quasid.job.types.ModelUpdate;
import io.quasid.model.Encoding;
import io.quasid.model.Reencoding;
import io.quasid.model.SidTokenizer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The tokenizer of {@link SidAssigner}'s live model version, with its encode counters and the
 * {@code liveModelVersion} gauge. A tokenizer whose input size is not the job's {@code vector.dim}
 * is refused, whether it is loaded at start or arrives as a new version. Holds native resources
 * until {@link #close()}.
 */
final class LiveTokenizer implements AutoCloseable {
  private final SidTokenizerFactory factory;
  private final int vectorDim;
  private final Counter itemsEncoded;
  private final Counter encodeCalls;
  private SidTokenizer tokenizer;
  private long version;

  /** Loads the restored live version's tokenizer, or the initial one when {@code live} is null. */
  LiveTokenizer(SidTokenizerFactory factory, int vectorDim, ModelUpdate live, MetricGroup metrics) {
    this.factory = factory;
    this.vectorDim = vectorDim;
    tokenizer =
        live == null
            ? requireInputDim(factory.initial(), "initial model")
            : requireInputDim(factory.restore(live), "model v" + live.version);
    version = tokenizer.modelVersion();
    if (live != null) {
      version = live.version;
    }
    itemsEncoded = metrics.counter("itemsEncoded");
    encodeCalls = metrics.counter("encodeCalls");
    metrics.gauge("liveModelVersion", () -> version);
  }

  /** Makes {@code update} the live version; the old tokenizer stays if the new one is refused. */
  void switchTo(ModelUpdate update) {
    SidTokenizer next = requireInputDim(factory.restore(update), "model v" + update.version);
    tokenizer.close();
    tokenizer = next;
    version = update.version;
  }

  long version() {
    return version;
  }

  Encoding encode(float[][] vectors) {
    encodeCalls.inc();
    itemsEncoded.inc(vectors.length);
    return tokenizer.encode(vectors);
  }

  /** The live version's codes, and how well the {@code held} ones still fit in its space. */
  Reencoding reencode(float[][] vectors, int[][] held) {
    encodeCalls.inc();
    itemsEncoded.inc(vectors.length);
    return tokenizer.reencode(vectors, held);
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private SidTokenizer requireInputDim(SidTokenizer candidate, String what) {
    if (candidate.inputDim() != vectorDim) {
      int dim = candidate.inputDim();
      candidate.close();
      throw new IllegalStateException(SidTokenizerFactory.inputDimMismatch(what, dim, vectorDim));
    }
    return candidate;
  }
}
