package io.quasid.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.model.Encoding;
import io.quasid.model.TrainResult;
import org.junit.jupiter.api.Test;

/** Runs each benchmark method once outside JMH, so a broken benchmark fails the build. */
class ModelThroughputBenchmarkTest {

  @Test
  void benchmarkMethodsRunOnTheSmallestConfiguration() {
    ModelThroughputBenchmark bench = new ModelThroughputBenchmark();
    bench.batch = 256;
    bench.inputDim = 64;
    bench.setUp();
    try {
      TrainResult r = bench.trainStep();
      assertThat(r.isFinite()).isTrue();
      assertThat(r.step()).isEqualTo(1);
      Encoding e = bench.encode();
      assertThat(e.codes()).hasNumberOfRows(256);
    } finally {
      bench.tearDown();
    }
  }
}
