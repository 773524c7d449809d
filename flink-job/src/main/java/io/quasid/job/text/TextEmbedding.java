package io.quasid.job.text;

import io.quasid.job.types.ItemFeature;
import io.quasid.model.MicroBatcher;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The embedding stage: an item event that carries text leaves with the text's vector; every other
 * event (vectors, deletes) passes untouched. Run with ordered async I/O, so an item's events keep
 * their order and in-flight events are part of each checkpoint; texts are embedded a batch at a
 * time on one worker thread per subtask, off the task thread. The trainer and the gate see the same
 * vector, so each item version is embedded once.
 */
public final class TextEmbedding extends RichAsyncFunction<ItemFeature, ItemFeature> {

  private static final long serialVersionUID = 1L;

  private final int batchSize;
  private final Duration batchWait;

  private transient MicroBatcher<String, float[]> batcher;
  private transient Counter embedded;

  public TextEmbedding(int batchSize, Duration batchWait) {
    this.batchSize = batchSize;
    this.batchWait = batchWait;
  }

  @Override
  public void open(OpenContext openContext) {
    SentenceEncoder encoder = new SentenceEncoder();
    batcher =
        new MicroBatcher<>(
            "quasid-text-embedding",
            batchSize,
            batchWait,
            texts -> Arrays.asList(encoder.embed(texts)),
            () -> {});
    embedded = getRuntimeContext().getMetricGroup().counter("textsEmbedded");
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
            (vector, failure) -> {
              if (failure != null) {
                result.completeExceptionally(failure);
              } else {
                embedded.inc();
                result.complete(List.of(item.embedded(vector)));
              }
            });
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
