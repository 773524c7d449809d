package io.quasid.job.pipeline;

import io.quasid.job.types.ItemFeature;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Test hook ({@code test.fail-once-after-records}): on the first attempt only, once a checkpoint
 * has completed and more than the configured number of item records passed, it throws, so the job
 * restarts from that checkpoint with records both before and after it. Later attempts pass
 * everything through.
 */
public class FailOnceAfterCheckpoint extends RichMapFunction<ItemFeature, ItemFeature>
    implements CheckpointListener {

  private final long afterRecords;
  private transient long seen;
  private transient boolean checkpointed;
  private transient boolean firstAttempt;

  public FailOnceAfterCheckpoint(long afterRecords) {
    this.afterRecords = afterRecords;
  }

  @Override
  public void open(OpenContext openContext) {
    firstAttempt = getRuntimeContext().getTaskInfo().getAttemptNumber() == 0;
  }

  @Override
  public ItemFeature map(ItemFeature item) {
    seen++;
    if (firstAttempt && checkpointed && seen > afterRecords) {
      throw new InjectedFailure(
          "injected failure after " + afterRecords + " records and a completed checkpoint");
    }
    return item;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    checkpointed = true;
  }

  /** The exception the hook throws, recognisable in logs and tests. */
  public static final class InjectedFailure extends RuntimeException {
    InjectedFailure(String message) {
      super(message);
    }
  }
}
