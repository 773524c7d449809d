package io.quasid.job;

import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.pipeline.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Test-only failure injection between the Kafka item source and the job: on the first attempt only,
 * once a checkpoint has completed and more than the given number of item records passed, it throws,
 * so the job restarts from that checkpoint with records both before and after it. Later attempts
 * pass everything through. Injected through {@code defineKafkaWorkflow}'s item end, so the
 * production job carries no test hook.
 */
final class FailOnceAfterCheckpoint extends RichMapFunction<RawRecord, RawRecord>
    implements CheckpointListener {

  private final long afterRecords;
  private transient long seen;
  private transient boolean checkpointed;
  private transient boolean firstAttempt;

  FailOnceAfterCheckpoint(long afterRecords) {
    this.afterRecords = afterRecords;
  }

  /** The Kafka job of {@link QuasidStreamJob#submit}, with this hook after the item source. */
  static JobClient submit(QuasidJobOptions options, String jobName, long afterRecords)
      throws Exception {
    StreamExecutionEnvironment env = QuasidStreamJob.environment(options);
    DataStream<RawRecord> items =
        QuasidStreamJob.kafkaItems(env, options)
            .map(new FailOnceAfterCheckpoint(afterRecords))
            .uid("test-fail-once")
            .name("Test hook: fail once");
    QuasidStreamJob.defineKafkaWorkflow(env, options, items, null);
    return env.executeAsync(jobName);
  }

  @Override
  public void open(OpenContext openContext) {
    firstAttempt = getRuntimeContext().getTaskInfo().getAttemptNumber() == 0;
  }

  @Override
  public RawRecord map(RawRecord record) {
    seen++;
    if (firstAttempt && checkpointed && seen > afterRecords) {
      throw new InjectedFailure(
          "injected failure after " + afterRecords + " records and a completed checkpoint");
    }
    return record;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    checkpointed = true;
  }

  /** The exception the hook throws, recognisable in logs and tests. */
  static final class InjectedFailure extends RuntimeException {
    InjectedFailure(String message) {
      super(message);
    }
  }
}
