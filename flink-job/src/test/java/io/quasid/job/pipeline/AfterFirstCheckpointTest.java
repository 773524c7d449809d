package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class AfterFirstCheckpointTest {

  @Test
  void nothingPassesBeforeTheFirstCompletedCheckpointThenOnePermitAtTheRate() throws Exception {
    RateLimiter<SourceSplit> limiter =
        AfterFirstCheckpoint.<SourceSplit>perSecond(1.0 / 3600).createRateLimiter(1);

    CompletableFuture<Void> first = limiter.acquire(1).toCompletableFuture();
    Thread.sleep(200);
    assertThat(first).as("held until a checkpoint completed").isNotDone();

    limiter.notifyCheckpointComplete(49);
    first.get(10, TimeUnit.SECONDS);

    CompletableFuture<Void> second = limiter.acquire(1).toCompletableFuture();
    limiter.notifyCheckpointComplete(50);
    Thread.sleep(200);
    assertThat(second).as("then one an hour, checkpoints or not").isNotDone();
    second.cancel(true);
  }

  @Test
  void aRequestAfterTheFirstCheckpointPassesAtOnce() throws Exception {
    RateLimiter<SourceSplit> limiter =
        AfterFirstCheckpoint.<SourceSplit>perSecond(1.0 / 3600).createRateLimiter(1);
    limiter.notifyCheckpointComplete(1);

    limiter.acquire(1).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theStrategyTravelsInTheJobGraph() throws Exception {
    RateLimiterStrategy<SourceSplit> strategy = AfterFirstCheckpoint.perSecond(1.0 / 3600);

    RateLimiter<SourceSplit> limiter =
        InstantiationUtil.clone(strategy, getClass().getClassLoader()).createRateLimiter(1);

    assertThat(limiter.acquire(1).toCompletableFuture()).isNotDone();
  }
}
