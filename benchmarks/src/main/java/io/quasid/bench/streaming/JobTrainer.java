package io.quasid.bench.streaming;

import io.quasid.job.training.TokenizerTrainer;
import io.quasid.job.training.TrainingExample;
import io.quasid.job.training.TrainingOptions;
import io.quasid.job.types.ModelUpdate;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The job's {@link TokenizerTrainer} in a keyed operator test harness (one key, as {@code
 * TrainingPipeline} keys it), fed one example at a time; returns the versions it publishes and
 * keeps the wall time spent inside the trainer.
 */
final class JobTrainer implements AutoCloseable {

  private final KeyedOneInputStreamOperatorTestHarness<Byte, TrainingExample, ModelUpdate> harness;
  private long nanos;

  JobTrainer(TrainingOptions options) throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new TokenizerTrainer(options)),
            e -> TokenizerTrainer.KEY,
            Types.BYTE);
    long t0 = System.nanoTime();
    harness.initializeEmptyState();
    harness.open();
    nanos += System.nanoTime() - t0;
  }

  /** Feeds one example; the versions published while processing it. */
  List<ModelUpdate> feed(TrainingExample example) throws Exception {
    long t0 = System.nanoTime();
    harness.processElement(example, example.eventTime);
    nanos += System.nanoTime() - t0;
    return TrainingBranch.drain(harness);
  }

  /** Wall time inside the trainer (steps, gate evaluations, snapshots). */
  double seconds() {
    return nanos / 1e9;
  }

  @Override
  public void close() throws Exception {
    harness.close();
  }
}
