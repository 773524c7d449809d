package io.quasid.job.pipeline;

import io.quasid.job.types.ItemFeature;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.InternalTimerService;

/**
 * {@link SidAssigner}'s deletes of ids it never held. Its time is kept, so that an older upsert
 * still on its way does not bring the item in, but only for {@code items.unknown-delete-retention},
 * so that deletes of ids that never existed (a producer's bug, or a hostile one) cannot grow the
 * state. Both methods act on the operator's current key.
 */
final class UnknownDeletes {

  /** Namespace of the forget timers in the operator's timer service. */
  static final String TIMER = "forget-unknown-delete";

  private final ValueState<ItemState> itemState;
  private final InternalTimerService<String> timers;
  private final long retentionMillis;
  private final Counter deletes;

  UnknownDeletes(
      ValueState<ItemState> itemState,
      InternalTimerService<String> timers,
      long retentionMillis,
      Counter deletes) {
    this.itemState = itemState;
    this.timers = timers;
    this.retentionMillis = retentionMillis;
    this.deletes = deletes;
  }

  /** Keeps a tombstone with the delete's event time, and a timer to forget it. */
  void remember(ItemFeature delete) throws Exception {
    deletes.inc();
    ItemState tombstone = new ItemState();
    tombstone.newestEventTime = delete.eventTime;
    itemState.update(tombstone);
    timers.registerProcessingTimeTimer(TIMER, timers.currentProcessingTime() + retentionMillis);
  }

  /**
   * The retention has passed: forgets the tombstone, unless the item has been published since (then
   * its revision fences re-adds and stays).
   */
  void forget() throws Exception {
    ItemState state = itemState.value();
    if (state != null && state.revision == 0 && !state.live() && state.codes == null) {
      itemState.clear();
    }
  }
}
