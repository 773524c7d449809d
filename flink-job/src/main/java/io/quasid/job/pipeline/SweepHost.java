package io.quasid.job.pipeline;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyContext;

/** What a {@link CatalogueSweep} uses of {@link SidAssigner}, the operator it runs in. */
interface SweepHost extends KeyContext {
  KeyedStateBackend<String> keyedStateBackend();

  ValueState<ItemState> itemState();

  InternalTimerService<String> timers();

  /** Applies the operator's buffered items, so a slice reads their latest state. */
  void flushArrivals() throws Exception;

  /** Whether the operator's output has no buffer free. */
  boolean outputBackpressured();

  /** Sends a bucket change downstream. */
  void emit(BucketChange change);
}
