package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.model.QuasidConfig;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class PopularTargetSamplerTest {
  private static final int THRESHOLD = 5;
  private static final Duration TTL = Duration.ofHours(1);

  private static KeyedOneInputStreamOperatorTestHarness<String, TrainingExample, TrainingExample>
      open(long seed) throws Exception {
    TrainingOptions options =
        TrainingOptions.defaults(QuasidConfig.builder(8).build())
            .with(PairOptions.POPULAR_TARGET_THRESHOLD, THRESHOLD)
            .with(PairOptions.POPULARITY_TTL, TTL)
            .with(TrainingOptions.SEED, seed);
    KeyedOneInputStreamOperatorTestHarness<String, TrainingExample, TrainingExample> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new PopularTargetSampler(options)),
            p -> p.targetItemId,
            Types.STRING);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.setStateTtlProcessingTime(0);
    h.open();
    return h;
  }

  private static List<TrainingExample> run(long seed, int popularPairs) throws Exception {
    try (var h = open(seed)) {
      feed(h, "popular", popularPairs);
      feed(h, "niche", THRESHOLD);
      assertThat(KeyedStateKeys.of(h, "target-pair-count")).containsExactly("niche", "popular");
      return h.extractOutputValues();
    }
  }

  private static void feed(
      KeyedOneInputStreamOperatorTestHarness<String, TrainingExample, TrainingExample> h,
      String target,
      int n)
      throws Exception {
    for (int i = 0; i < n; i++) {
      h.processElement(pair("t" + i, target, i), i);
    }
  }

  private static TrainingExample pair(String trigger, String target, long time) {
    return TrainingExample.pair(
        trigger, new float[] {1}, null, target, new float[] {2}, null, time);
  }

  @Test
  void popularTargetsAreDownSampledDeterministicallyAndNicheOnesPass() throws Exception {
    List<TrainingExample> out = run(7, 2_000);

    List<TrainingExample> popular =
        out.stream().filter(p -> p.targetItemId.equals("popular")).toList();
    assertThat(popular.subList(0, THRESHOLD))
        .extracting(p -> p.itemId)
        .containsExactly("t0", "t1", "t2", "t3", "t4");
    // Expected kept = T + T * (H(2000) - H(5)) ~ 5 + 5 * 5.99 ~ 35.
    assertThat(popular.size()).isBetween(20, 55);
    assertThat(out.stream().filter(p -> p.targetItemId.equals("niche"))).hasSize(THRESHOLD);
    assertThat(run(7, 2_000)).isEqualTo(out);
    assertThat(run(8, 2_000)).isNotEqualTo(out);
  }

  @Test
  void popularityIsForgottenAfterItsTtl() throws Exception {
    try (var h = open(7)) {
      feed(h, "popular", 100);
      h.getOutput().clear();

      h.setStateTtlProcessingTime(TTL.toMillis() + 1);
      feed(h, "popular", THRESHOLD);

      assertThat(h.extractOutputValues()).hasSize(THRESHOLD);
    }
  }
}
