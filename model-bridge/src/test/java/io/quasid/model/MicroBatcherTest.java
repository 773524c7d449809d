package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

  @Test
  void requestsArrivingTogetherShareOneCallAndKeepTheirOrder() throws Exception {
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    AtomicBoolean closed = new AtomicBoolean();
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    try (MicroBatcher<Integer, Integer> batcher =
        new MicroBatcher<>(
            "test-batcher",
            8,
            Duration.ofMillis(200),
            inputs -> {
              batchSizes.add(inputs.size());
              return inputs.stream().map(i -> i * i).toList();
            },
            () -> closed.set(true))) {
      for (int i = 0; i < 20; i++) {
        results.add(batcher.submit(i));
      }
      for (int i = 0; i < 20; i++) {
        assertThat(results.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * i);
      }
    }
    assertThat(batchSizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(8));
    assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
    assertThat(batchSizes.size()).as("20 requests at once need 3 calls").isEqualTo(3);
    assertThat(closed).isTrue();
  }

  @Test
  void aFailingCallFailsItsBatchOnlyAndAClosedBatcherRefuses() throws Exception {
    MicroBatcher<Integer, Integer> batcher =
        new MicroBatcher<>(
            "test-batcher",
            1,
            Duration.ZERO,
            inputs -> {
              if (inputs.get(0) < 0) {
                throw new IllegalArgumentException("negative");
              }
              return inputs;
            },
            () -> {});
    CompletableFuture<Integer> bad = batcher.submit(-1);
    CompletableFuture<Integer> good = batcher.submit(5);

    assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("negative");
    assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    batcher.close();
    assertThatThrownBy(() -> batcher.submit(1).get(1, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void anErrorEndsTheWorkerAndFailsEveryRequestWithItsCause() throws Exception {
    MicroBatcher<Integer, Integer> batcher =
        new MicroBatcher<>(
            "test-batcher",
            4,
            Duration.ZERO,
            inputs -> {
              throw new OutOfMemoryError("simulated");
            },
            () -> {});
    CompletableFuture<Integer> first = batcher.submit(1);

    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("simulated");
    assertThatThrownBy(() -> batcher.submit(2).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("closed")
        .hasRootCauseMessage("simulated");
    batcher.close();
  }
}
