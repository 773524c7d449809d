package io.quasid.job.pipeline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;

/**
 * A source's rate limit that lets nothing through until a checkpoint of this run has completed,
 * then at most the given rate.
 *
 * <p>What a task writes right after a (re)start goes into the sinks' first transaction, which stays
 * open until every task runs and a checkpoint completes: the tokenizer trainer, restoring its
 * TensorFlow model, took 22 s to start on a loaded 2-core box. When that is longer than the Kafka
 * transaction timeout the broker aborts the transaction and the committer drops it, so the records
 * it carried are lost; a republish request sent at startup was lost that way in the fault suite.
 * Held back until a checkpoint completed, the records go into a transaction committed one
 * checkpoint interval later.
 */
final class AfterFirstCheckpoint<S extends SourceSplit> implements RateLimiter<S> {

  private final CompletableFuture<Void> firstCheckpoint = new CompletableFuture<>();
  private final RateLimiter<S> then;

  AfterFirstCheckpoint(RateLimiter<S> then) {
    this.then = then;
  }

  /**
   * Every reader waits for its own first completed checkpoint, then is held to {@code perSecond}.
   */
  @SuppressWarnings("unchecked") // Flink's perSecond returns a raw strategy
  static <S extends SourceSplit> RateLimiterStrategy<S> perSecond(double perSecond) {
    RateLimiterStrategy<S> rate = RateLimiterStrategy.perSecond(perSecond);
    return parallelism -> new AfterFirstCheckpoint<>(rate.createRateLimiter(parallelism));
  }

  @Override
  public CompletionStage<Void> acquire(int permits) {
    return firstCheckpoint.thenCompose(done -> then.acquire(permits));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    firstCheckpoint.complete(null);
    then.notifyCheckpointComplete(checkpointId);
  }
}
