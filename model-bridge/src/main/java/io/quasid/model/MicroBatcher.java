package io.quasid.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Gathers single requests into batches for one worker thread: a model call (TensorFlow, ONNX) costs
 * about the same for one input as for dozens, so callers that arrive one at a time (Flink's async
 * operators, ML_PREDICT) are served a batch at a time. A batch is at most {@code batchSize}
 * requests and waits at most {@code maxWait} for more after its first. The batch function runs on
 * the worker only, so a model that is not thread-safe needs no lock.
 *
 * @param <I> one request
 * @param <O> its result
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

  private record Request<I, O>(I input, CompletableFuture<O> result) {}

  private final BlockingQueue<Request<I, O>> queue = new LinkedBlockingQueue<>();
  private final int batchSize;
  private final long maxWaitNanos;
  private final Function<List<I>, List<O>> batchFunction;
  private final Runnable onClose;
  private final Thread worker;
  private volatile boolean running = true;
  private volatile Throwable died;

  /**
   * @param batchFunction one result per input, in order; an exception fails the whole batch
   * @param onClose runs on the worker when it stops (release the model there)
   */
  public MicroBatcher(
      String name,
      int batchSize,
      Duration maxWait,
      Function<List<I>, List<O>> batchFunction,
      Runnable onClose) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    this.maxWaitNanos = maxWait.toNanos();
    this.batchFunction = batchFunction;
    this.onClose = onClose;
    this.worker = new Thread(this::run, name);
    worker.setDaemon(true);
    worker.start();
  }

  public CompletableFuture<O> submit(I input) {
    CompletableFuture<O> result = new CompletableFuture<>();
    if (!running) {
      result.completeExceptionally(
          new IllegalStateException(worker.getName() + " is closed", died));
      return result;
    }
    queue.add(new Request<>(input, result));
    if (!running) {
      failQueued(); // the worker stopped meanwhile: nobody would ever complete it
    }
    return result;
  }

  private void run() {
    List<Request<I, O>> batch = new ArrayList<>(batchSize);
    try {
      while (running) {
        Request<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < batchSize) {
          Request<I, O> next =
              queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        complete(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      // An Error (out of memory, a native library that will not load) ends the worker: its batch
      // and every waiting request fail with the cause instead of waiting for a timeout.
      died = e;
      batch.forEach(r -> r.result.completeExceptionally(e));
    } finally {
      running = false;
      onClose.run();
      failQueued();
    }
  }

  private void failQueued() {
    for (Request<I, O> r; (r = queue.poll()) != null; ) {
      r.result.completeExceptionally(new IllegalStateException(worker.getName() + " closed", died));
    }
  }

  private void complete(List<Request<I, O>> batch) {
    try {
      List<O> results = batchFunction.apply(batch.stream().map(Request::input).toList());
      if (results.size() != batch.size()) {
        throw new IllegalStateException(
            "batch function returned " + results.size() + " results for " + batch.size());
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(results.get(i));
      }
    } catch (RuntimeException e) {
      batch.forEach(r -> r.result.completeExceptionally(e));
    } catch (Error e) {
      batch.forEach(r -> r.result.completeExceptionally(e));
      throw e;
    }
  }

  /** Stops the worker after its current batch; requests still queued fail. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    worker.interrupt();
    worker.join(10_000);
  }
}
