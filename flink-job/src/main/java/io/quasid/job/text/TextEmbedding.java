package io.quasid.job.text;

import io.quasid.job.types.ItemFeature;
import io.quasid.model.MicroBatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * The embedding stage: an item event that carries text leaves with the text's vector; every other
 * event (vectors, deletes) passes untouched. Run with ordered async I/O, so an item's events keep
 * their order and in-flight events are part of each checkpoint; texts are embedded a batch at a
 * time on one worker thread per subtask, off the task thread. The trainer and the gate see the same
 * vector, so each item version is embedded once.
 *
 * <p>A text the encoder throws on leaves {@link ItemFeature#rejected rejected}, with the reason,
 * for the next operator to dead-letter: failing the task would replay it forever. The rest of its
 * batch is embedded as usual ({@link IsolatingEncoder}). A timeout still fails the task: a slow
 * encoder says nothing against the text.
 */
public final class TextEmbedding extends RichAsyncFunction<ItemFeature, ItemFeature> {

  private static final long serialVersionUID = 1L;

  private final int batchSize;
  private final Duration batchWait;
  private final SerializableSupplier<Function<List<String>, float[][]>> encoder;

  private transient MicroBatcher<String, EmbeddedText> batcher;
  private transient Counter embedded;
  private transient Counter rejected;

  /**
   * @param intraOpThreads ONNX Runtime threads per call ({@link
   *     SentenceEncoder#SentenceEncoder(int)})
   */
  public TextEmbedding(int batchSize, Duration batchWait, int intraOpThreads) {
    this(batchSize, batchWait, () -> new SentenceEncoder(intraOpThreads)::embed);
  }

  /**
   * @param encoder makes, on the task manager, the function that embeds a list of texts in order
   */
  TextEmbedding(
      int batchSize,
      Duration batchWait,
      SerializableSupplier<Function<List<String>, float[][]>> encoder) {
    this.batchSize = batchSize;
    this.batchWait = batchWait;
    this.encoder = encoder;
  }

  @Override
  public void open(OpenContext openContext) {
    batcher =
        new MicroBatcher<>(
            "quasid-text-embedding",
            batchSize,
            batchWait,
            new IsolatingEncoder(encoder.get()),
            () -> {});
    embedded = getRuntimeContext().getMetricGroup().counter("textsEmbedded");
    rejected = getRuntimeContext().getMetricGroup().counter("textsRejected");
  }

  @Override
  public void asyncInvoke(ItemFeature item, ResultFuture<ItemFeature> result) {
    if (item.text == null) {
      result.complete(List.of(item));
      return;
    }
    batcher
        .submit(item.text)
        .whenComplete(
            (text, failure) -> {
              if (failure != null) {
                result.completeExceptionally(failure);
              } else if (text.isFailed()) {
                rejected.inc();
                result.complete(List.of(item.rejected(reason(item, text.failure()))));
              } else {
                embedded.inc();
                result.complete(List.of(item.embedded(text.vector())));
              }
            });
  }

  private static String reason(ItemFeature item, RuntimeException failure) {
    return "item "
        + item.itemId
        + " (event time "
        + Instant.ofEpochMilli(item.eventTime)
        + "): the text encoder could not embed its text: "
        + failure;
  }

  @Override
  public void timeout(ItemFeature item, ResultFuture<ItemFeature> result) {
    result.completeExceptionally(
        new TimeoutException(
            "embedding the text of item " + item.itemId + " took longer than text.timeout"));
  }

  @Override
  public void close() throws Exception {
    if (batcher != null) {
      batcher.close();
    }
  }
}
