package io.quasid.job.training;

import io.quasid.job.types.Engagement;
import io.quasid.job.types.Interaction;
import io.quasid.job.types.ItemFeature;
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
 * user's recent history, as complete training examples: the known-item gate sends each engagement
 * with its item's features, and the history keeps them for the entries in the pair window. A pair
 * therefore trains on each item's features as they were when the user engaged it, not on a later
 * update.
 *
 * <p>State: per user a list of at most {@code history-size} distinct items, oldest first, the
 * {@code pair-window-size} most recent with their features (an entry that moves back into the
 * window because a more recent one was re-engaged has none and is skipped as a partner). Every
 * entry carries a processing-time TTL, so the history of a user who goes quiet disappears without
 * timers. Pairing is limited to the {@code pair-window-size} most recent entries within {@code
 * pair-window-time} of event time, most recent first, and to {@code max-pairs-per-event} pairs: a
 * heavy user adds at most that many pairs per event, however long the history. Interactions with a
 * non-positive weight (dislikes, returns) are not engagements and leave the history untouched. The
 * choice is deterministic (no randomness), so the same engagements produce the same pairs (which
 * engagements reach it above the training budget depends on processing time: {@link
 * EngagementAdmission}).
 */
public class CoEngagementPairGenerator
    extends KeyedProcessFunction<String, Engagement, TrainingExample> {

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
  public void processElement(Engagement engagement, Context ctx, Collector<TrainingExample> out)
      throws Exception {
    Interaction interaction = engagement.interaction;
    ItemFeature item = engagement.item;
    if (interaction.weight <= 0 || item == null || item.vector == null) {
      return;
    }
    List<EngagedItem> recent = new ArrayList<>();
    for (EngagedItem e : history.get()) {
      if (!e.itemId.equals(interaction.itemId)) {
        recent.add(e);
      }
    }
    emitPairs(recent, interaction, item, out);

    recent.add(
        new EngagedItem(interaction.itemId, interaction.eventTime, item.vector, item.groupId));
    int overflow = recent.size() - historySize;
    List<EngagedItem> kept = overflow > 0 ? recent.subList(overflow, recent.size()) : recent;
    // Features beyond the pair window (in count or in time) are never read again: keep the state
    // per user small.
    for (int i = 0; i < kept.size() - 1; i++) {
      EngagedItem e = kept.get(i);
      if (i < kept.size() - windowSize || interaction.eventTime - e.eventTime > windowMillis) {
        e.vector = null;
        e.groupId = null;
      }
    }
    history.update(kept);
  }

  private void emitPairs(
      List<EngagedItem> recent,
      Interaction interaction,
      ItemFeature target,
      Collector<TrainingExample> out) {
    int emitted = 0;
    int oldestInWindow = Math.max(0, recent.size() - windowSize);
    for (int i = recent.size() - 1; i >= oldestInWindow && emitted < maxPairs; i--) {
      EngagedItem earlier = recent.get(i);
      if (earlier.vector != null
          && Math.abs(interaction.eventTime - earlier.eventTime) <= windowMillis) {
        out.collect(
            TrainingExample.pair(
                earlier.itemId,
                earlier.vector,
                earlier.groupId,
                interaction.itemId,
                target.vector,
                target.groupId,
                interaction.eventTime));
        emitted++;
      }
    }
  }
}
