package io.quasid.sql;

import io.quasid.model.QuasidModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * ML_PREDICT's default (async) mode, micro-batched: rows wait on a queue and one thread encodes up
 * to {@code batch-size} of them per TensorFlow call, waiting at most {@code batch-wait} for a batch
 * to fill. A TensorFlow call costs about the same for 1 row as for hundreds, so with Flink's {@code
 * max-concurrent-operations} rows in flight this is what makes SQL inference fast.
 */
public final class QuasidAsyncPredictFunction extends AsyncPredictFunction {

  private static final long serialVersionUID = 1L;

  private final ModelSource source;
  private final int batchSize;
  private final long batchWaitNanos;

  private transient BlockingQueue<Request> queue;
  private transient Thread worker;
  private transient volatile boolean running;

  QuasidAsyncPredictFunction(ModelSource source, int batchSize, Duration batchWait) {
    this.source = source;
    this.batchSize = batchSize;
    this.batchWaitNanos = batchWait.toNanos();
  }

  private record Request(RowData features, CompletableFuture<Collection<RowData>> result) {}

  @Override
  public void open(FunctionContext context) {
    QuasidModel model = source.load();
    queue = new LinkedBlockingQueue<>();
    running = true;
    worker = new Thread(() -> encodeBatches(model), "quasid-ml-predict");
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public CompletableFuture<Collection<RowData>> asyncPredict(RowData features) {
    CompletableFuture<Collection<RowData>> result = new CompletableFuture<>();
    if (!running) {
      result.completeExceptionally(new IllegalStateException("QuaSID model is closed"));
      return result;
    }
    queue.add(new Request(features, result));
    return result;
  }

  private void encodeBatches(QuasidModel model) {
    int dim = model.config().inputDim();
    List<Request> batch = new ArrayList<>(batchSize);
    try {
      while (running) {
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + batchWaitNanos;
        while (batch.size() < batchSize) {
          Request next =
              queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        complete(model, dim, batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      model.close();
      for (Request r; (r = queue.poll()) != null; ) {
        r.result.completeExceptionally(new IllegalStateException("QuaSID model closed"));
      }
    }
  }

  private static void complete(QuasidModel model, int dim, List<Request> batch) {
    try {
      List<float[]> features = new ArrayList<>(batch.size());
      batch.forEach(r -> features.add(CodeRows.features(r.features, dim)));
      List<Collection<RowData>> rows = CodeRows.encode(model, features);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(rows.get(i));
      }
    } catch (RuntimeException e) {
      batch.forEach(r -> r.result.completeExceptionally(e));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (worker != null) {
      worker.interrupt();
      worker.join(10_000);
    }
  }
}
