package io.quasid.job.training;

import io.quasid.job.types.Interaction;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user: turns each engagement into collaborative pairs (earlier item, new item) with the
 * user's recent history.
 *
 * <p>State: per user a list of at most {@code history-size} distinct items, oldest first. Every
 * entry carries a processing-time TTL, so the history of a user who goes quiet disappears without
 * timers. Pairing is limited to the {@code pair-window-size} most recent entries within {@code
 * pair-window-time} of event time, most recent first, and to {@code max-pairs-per-event} pairs: a
 * heavy user adds at most that many pairs per event, however long the history. Interactions with a
 * non-positive weight (dislikes, returns) are not engagements and leave the history untouched. The
 * choice is deterministic (no randomness), so replays produce the same pairs.
 */
public class CoEngagementPairGenerator
    extends KeyedProcessFunction<String, Interaction, CollaborativePair> {

  private final int historySize;
  private final int windowSize;
  private final long windowMillis;
  private final int maxPairs;
  private final StateTtlConfig ttl;

  private transient ListState<EngagedItem> history;

  public CoEngagementPairGenerator(TrainingOptions options) {
    this.historySize = options.historySize();
    this.windowSize = options.pairWindowSize();
    this.windowMillis = options.pairWindowTime().toMillis();
    this.maxPairs = options.maxPairsPerEvent();
    this.ttl =
        StateTtlConfig.newBuilder(options.historyTtl())
            .updateTtlOnCreateAndWrite()
            .neverReturnExpired()
            .build();
  }

  @Override
  public void open(OpenContext openContext) {
    ListStateDescriptor<EngagedItem> descriptor =
        new ListStateDescriptor<>("recent-engagements", EngagedItem.class);
    descriptor.enableTimeToLive(ttl);
    history = getRuntimeContext().getListState(descriptor);
  }

  @Override
  public void processElement(Interaction interaction, Context ctx, Collector<CollaborativePair> out)
      throws Exception {
    if (interaction.weight <= 0 || interaction.itemId == null) {
      return;
    }
    List<EngagedItem> recent = new ArrayList<>();
    for (EngagedItem e : history.get()) {
      if (!e.itemId.equals(interaction.itemId)) {
        recent.add(e);
      }
    }
    emitPairs(recent, interaction, out);

    recent.add(new EngagedItem(interaction.itemId, interaction.eventTime));
    int overflow = recent.size() - historySize;
    history.update(overflow > 0 ? recent.subList(overflow, recent.size()) : recent);
  }

  private void emitPairs(
      List<EngagedItem> recent, Interaction interaction, Collector<CollaborativePair> out) {
    int emitted = 0;
    int oldestInWindow = Math.max(0, recent.size() - windowSize);
    for (int i = recent.size() - 1; i >= oldestInWindow && emitted < maxPairs; i--) {
      EngagedItem earlier = recent.get(i);
      if (Math.abs(interaction.eventTime - earlier.eventTime) <= windowMillis) {
        out.collect(
            new CollaborativePair(earlier.itemId, interaction.itemId, interaction.eventTime));
        emitted++;
      }
    }
  }
}
