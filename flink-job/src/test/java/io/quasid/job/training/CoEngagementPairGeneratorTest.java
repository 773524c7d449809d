package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.types.Engagement;
import io.quasid.job.types.Interaction;
import io.quasid.job.types.ItemFeature;
import io.quasid.model.QuasidConfig;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoEngagementPairGeneratorTest {
  private static final Duration TTL = Duration.ofHours(1);

  private KeyedOneInputStreamOperatorTestHarness<String, Engagement, TrainingExample> harness;

  private void open(TrainingOptions options) throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new CoEngagementPairGenerator(options)),
            e -> e.interaction.userId,
            Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    harness.setStateTtlProcessingTime(0);
    harness.open();
  }

  private static TrainingOptions options(int history, int window, int maxPairs) {
    return TrainingOptions.defaults(QuasidConfig.builder(8).build())
        .with(PairOptions.HISTORY_SIZE, history)
        .with(PairOptions.PAIR_WINDOW_SIZE, window)
        .with(PairOptions.PAIR_WINDOW_TIME, Duration.ofMinutes(10))
        .with(PairOptions.MAX_PAIRS_PER_EVENT, maxPairs)
        .with(PairOptions.HISTORY_TTL, TTL);
  }

  private void engage(String user, String item, long time) throws Exception {
    engage(user, item, features(item), time);
  }

  private void engage(String user, String item, float[] features, long time) throws Exception {
    harness.processElement(
        new Engagement(
            new Interaction(user, item, "view", 1f, time),
            ItemFeature.upsert(item, features, "g-" + item, time)),
        time);
  }

  private static float[] features(String item) {
    return new float[] {item.hashCode(), item.length()};
  }

  private static TrainingExample pair(String trigger, String target, long time) {
    return TrainingExample.pair(
        trigger, features(trigger), "g-" + trigger, target, features(target), "g-" + target, time);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void pairsNewItemWithRecentHistoryMostRecentFirstUpToTheCap() throws Exception {
    open(options(10, 10, 2));
    engage("u", "a", 0);
    engage("u", "b", 1_000);
    engage("u", "c", 2_000);
    engage("u", "d", 3_000);

    assertThat(harness.extractOutputValues())
        .containsExactly(
            pair("a", "b", 1_000),
            pair("b", "c", 2_000),
            pair("a", "c", 2_000),
            pair("c", "d", 3_000),
            pair("b", "d", 3_000));
    assertThat(KeyedStateKeys.of(harness, "recent-engagements")).containsExactly("u");
  }

  @Test
  void countWindowAndTimeWindowBoundThePartners() throws Exception {
    open(options(10, 2, 10));
    engage("u", "a", 0);
    engage("u", "b", 1_000);
    engage("u", "c", 2_000);
    engage("u", "late", Duration.ofMinutes(11).toMillis());

    assertThat(harness.extractOutputValues())
        .as("c pairs with a and b; 'late' is beyond the 10 minute window of all of them")
        .containsExactly(pair("a", "b", 1_000), pair("b", "c", 2_000), pair("a", "c", 2_000));
  }

  @Test
  void historyKeepsDistinctItemsAndDropsTheOldestBeyondItsSize() throws Exception {
    open(options(3, 3, 10));
    engage("u", "a", 0);
    engage("u", "b", 1);
    engage("u", "a", 2);
    engage("u", "c", 3);
    engage("u", "d", 4);
    harness.getOutput().clear();

    engage("u", "e", 5);

    assertThat(harness.extractOutputValues())
        .as("re-engaging a moved it up, so b fell out of the 3-item history")
        .containsExactly(pair("d", "e", 5), pair("c", "e", 5), pair("a", "e", 5));
  }

  @Test
  void usersAreIsolatedAndNonPositiveWeightsAreNotEngagements() throws Exception {
    open(options(10, 10, 10));
    engage("u1", "a", 0);
    engage("u2", "b", 1);
    harness.processElement(
        new Engagement(
            new Interaction("u1", "x", "dislike", -1f, 2),
            ItemFeature.upsert("x", features("x"), null, 2)),
        2);
    engage("u1", "c", 3);

    assertThat(harness.extractOutputValues()).containsExactly(pair("a", "c", 3));
    assertThat(KeyedStateKeys.of(harness, "recent-engagements")).containsExactly("u1", "u2");
  }

  @Test
  void historyExpiresAfterItsTtl() throws Exception {
    open(options(10, 10, 10));
    engage("u", "a", 0);
    engage("u", "b", 1);
    harness.getOutput().clear();

    harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
    engage("u", "c", 2);
    engage("u", "d", 3);

    assertThat(harness.extractOutputValues())
        .as("a and b expired; only c remains to pair with d")
        .containsExactly(pair("c", "d", 3));
  }

  @Test
  void onlyThePairWindowKeepsFeatures() throws Exception {
    open(options(10, 2, 10));
    engage("u", "a", 0);
    engage("u", "b", 1);
    engage("u", "c", 2);
    engage("u", "d", 3);
    harness.getOutput().clear();

    engage("u", "c", 4);

    assertThat(harness.extractOutputValues())
        .as(
            "re-engaging c moves b back into the 2-entry window, but b left the window with d, so"
                + " its features were dropped: c pairs with d only")
        .containsExactly(pair("d", "c", 4));
  }

  @Test
  void pairsCarryTheFeaturesAnItemHadWhenItWasEngaged() throws Exception {
    open(options(10, 10, 10));
    float[] before = {7, 7};
    engage("u", "a", before, 0);
    engage("u", "b", 1);
    assertThat(harness.extractOutputValues())
        .as("a's features are those of its engagement, whatever the item became later")
        .singleElement()
        .satisfies(p -> assertThat(p.vector).containsExactly(before));
  }
}
