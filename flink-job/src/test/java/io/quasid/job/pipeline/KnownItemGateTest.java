package io.quasid.job.pipeline;

import static io.quasid.job.pipeline.StateProbe.keys;
import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.training.EngagementAdmission;
import io.quasid.job.types.Engagement;
import io.quasid.job.types.Interaction;
import io.quasid.job.types.ItemFeature;
import io.quasid.schemas.ErrorKind;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KnownItemGateTest {

  private static final long RETENTION = 5_000;

  private KeyedTwoInputStreamOperatorTestHarness<
          String, ItemFeature, SourcedInteraction, Engagement>
      harness;

  @BeforeEach
  void open() throws Exception {
    open(null);
  }

  private void open(EngagementAdmission training) throws Exception {
    open(training, null);
  }

  private void open(EngagementAdmission training, OperatorSubtaskState restore) throws Exception {
    if (harness != null) {
      harness.close();
    }
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(
                new KnownItemGate(1_000, 10_000, training)
                    .retainingUnknownDeletesFor(Duration.ofMillis(RETENTION))),
            (ItemFeature f) -> f.itemId,
            (SourcedInteraction i) -> i.interaction.itemId,
            Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    if (restore != null) {
      harness.initializeState(restore);
    }
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static SourcedInteraction click(String user, String item, long offset) {
    return click(user, item, offset, 5);
  }

  /** An interaction whose record the broker stamped {@code topicTime}. */
  private static SourcedInteraction click(String user, String item, long offset, long topicTime) {
    return new SourcedInteraction(
        new Interaction(user, item, "view", 1f, 5),
        new RawRecord("interactions", 0, offset, topicTime, null, new byte[] {1, 2}));
  }

  private void bothTopicsReadTo(long watermark) throws Exception {
    harness.processWatermark1(new Watermark(watermark));
    harness.processWatermark2(new Watermark(watermark));
  }

  @Test
  void interactionsForKnownItemsPassAndEarlyOnesWaitForTheirItem() throws Exception {
    harness.processElement2(click("u1", "a", 0), 5);
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    assertThat(harness.numProcessingTimeTimers()).as("the maximum wait").isEqualTo(1);

    harness.processElement1(ItemFeature.upsert("a", new float[] {1}, null, 1), 6);
    harness.processElement2(click("u2", "a", 1), 7);

    assertThat(harness.extractOutputValues())
        .allSatisfy(e -> assertThat(e.item).as("no features without training").isNull())
        .extracting(e -> e.interaction.userId)
        .containsExactly("u1", "u2");
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(keys(harness, KnownItemGate.PENDING)).isZero();
    assertThat(keys(harness, KnownItemGate.PENDING_TIMER)).isZero();
    assertThat(keys(harness, KnownItemGate.PENDING_SINCE)).isZero();
  }

  @Test
  void interactionsForUnknownItemsAreDeadLetteredOnceBothTopicsWereReadPastThem() throws Exception {
    harness.processElement2(click("u1", "ghost", 41, 5), 5);
    harness.processElement2(click("u2", "ghost", 42, 8), 8);
    harness.processWatermark2(new Watermark(100));
    harness.processWatermark1(new Watermark(4));
    assertThat(harness.getSideOutput(DeadLetters.TAG))
        .as("the interactions topic is past them, the item topic is not")
        .isNullOrEmpty();

    harness.processWatermark1(new Watermark(6));
    assertThat(harness.getSideOutput(DeadLetters.TAG))
        .extracting(StreamRecord::getValue)
        .singleElement()
        .satisfies(r -> assertThat(r.kind).isEqualTo(ErrorKind.UNKNOWN_ID))
        .satisfies(r -> assertThat(r.sourceOffset).isEqualTo(41L))
        .satisfies(r -> assertThat(r.reason).contains("unknown-item-grace"));
    assertThat(keys(harness, KnownItemGate.PENDING)).as("the later one waits on").isEqualTo(1);

    harness.processWatermark1(new Watermark(8));
    assertThat(harness.getSideOutput(DeadLetters.TAG))
        .extracting(r -> r.getValue().sourceOffset)
        .containsExactly(41L, 42L);
    assertThat(keys(harness, KnownItemGate.PENDING)).isZero();
    assertThat(keys(harness, KnownItemGate.PENDING_SINCE)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @Test
  void whileTheItemTopicLagsTheInteractionWaitsForItsItemHoweverLong() throws Exception {
    // Catch-up with skew: the interactions topic and newer items (other keys, from a partition
    // ahead) have long passed the interaction; a lagging item partition holds the watermark.
    harness.processElement2(click("u1", "late", 7, 5), 5);
    harness.processWatermark2(new Watermark(1_000_000));
    for (int t = 1; t <= 9; t++) {
      harness.setProcessingTime(t * 1_000L);
      harness.processElement1(ItemFeature.upsert("newer-" + t, new float[] {1}, null, 500_000), t);
      harness.processWatermark1(new Watermark(t - 5));
    }
    assertThat(harness.getSideOutput(DeadLetters.TAG))
        .as("9 s, nine graces, items newer than the interaction: its item may still come")
        .isNullOrEmpty();

    harness.processElement1(ItemFeature.upsert("late", new float[] {1}, null, 4), 7);
    assertThat(harness.extractOutputValues())
        .extracting(e -> e.interaction.userId)
        .containsExactly("u1");
    assertThat(harness.getSideOutput(DeadLetters.TAG)).isNullOrEmpty();
    assertThat(keys(harness, KnownItemGate.PENDING)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @Test
  void theWaitEndsAtTheMaximumWhenTheTopicsDoNotMove() throws Exception {
    harness.processElement2(click("u1", "ghost", 41), 5);
    harness.setProcessingTime(9_999);
    assertThat(harness.getSideOutput(DeadLetters.TAG)).isNullOrEmpty();

    harness.setProcessingTime(10_000);
    assertThat(harness.getSideOutput(DeadLetters.TAG))
        .singleElement()
        .satisfies(r -> assertThat(r.getValue().reason).contains("after 10000 ms"))
        .satisfies(r -> assertThat(r.getValue().reason).contains("unknown-item-max-wait"));
    assertThat(keys(harness, KnownItemGate.PENDING)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aWaitingInteractionSurvivesARestoreAndIsDecidedOnce() throws Exception {
    harness.processElement2(click("u1", "a", 0, 5), 5);
    harness.processElement2(click("u2", "ghost", 1, 5), 5);
    OperatorSubtaskState waiting = harness.snapshot(1, 2);
    open(null, waiting);

    harness.processElement1(ItemFeature.upsert("a", new float[] {1}, null, 1), 6);
    bothTopicsReadTo(10);

    assertThat(harness.extractOutputValues())
        .extracting(e -> e.interaction.userId)
        .containsExactly("u1");
    assertThat(harness.getSideOutput(DeadLetters.TAG))
        .extracting(r -> r.getValue().sourceOffset)
        .containsExactly(1L);
    assertThat(keys(harness, KnownItemGate.PENDING)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @Test
  void deletedItemIsUnknownAgain() throws Exception {
    harness.processElement1(ItemFeature.upsert("a", new float[] {1}, null, 1), 1);
    harness.processElement1(ItemFeature.delete("a", 2), 2);
    harness.processElement2(click("u1", "a", 0), 5);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(keys(harness, KnownItemGate.KNOWN)).as("a tombstone").isEqualTo(1);
    assertThat(keys(harness, KnownItemGate.PENDING)).isEqualTo(1);
  }

  @Test
  void aStaleDeleteDoesNotForgetALiveItem() throws Exception {
    harness.processElement1(ItemFeature.upsert("a", new float[] {1}, null, 10), 1);
    harness.processElement1(ItemFeature.delete("a", 5), 2);
    harness.processElement2(click("u1", "a", 0), 5);

    assertThat(harness.extractOutputValues()).extracting(e -> e.interaction.userId).contains("u1");
  }

  @Test
  void aStaleUpsertDoesNotReviveADeletedItem() throws Exception {
    harness.processElement1(ItemFeature.upsert("a", new float[] {1}, null, 1), 1);
    harness.processElement1(ItemFeature.delete("a", 10), 2);
    harness.processElement1(ItemFeature.upsert("a", new float[] {1}, null, 5), 3);
    harness.processElement2(click("u1", "a", 0), 5);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(keys(harness, KnownItemGate.PENDING)).as("waits like any unknown item").isEqualTo(1);

    harness.processElement1(ItemFeature.upsert("a", new float[] {1}, null, 11), 6);
    assertThat(harness.extractOutputValues()).as("re-added").hasSize(1);
  }

  @Test
  void theDeleteOfAnIdNeverSeenOrdersItsEventsOnlyForTheRetention() throws Exception {
    harness.setProcessingTime(0);
    harness.processElement1(ItemFeature.delete("ghost", 10), 1);
    harness.processElement1(ItemFeature.upsert("ghost", new float[] {1}, null, 5), 2);
    harness.processElement2(click("u1", "ghost", 0), 5);
    assertThat(harness.extractOutputValues()).as("the older upsert is not applied").isEmpty();

    harness.processElement1(ItemFeature.delete("never", 10), 3);
    harness.setProcessingTime(RETENTION);

    assertThat(keys(harness, KnownItemGate.KNOWN))
        .as("only the waiting interaction's item keeps anything")
        .isZero();
    assertThat(keys(harness, KnownItemGate.FORGET_AT)).isZero();
    assertThat(keys(harness, KnownItemGate.PENDING)).isEqualTo(1);
    assertThat(harness.getSideOutput(DeadLetters.TAG)).isNullOrEmpty();
  }

  @Test
  void anIdPublishedAfterItsUnknownDeleteIsNoLongerForgotten() throws Exception {
    harness.setProcessingTime(0);
    harness.processElement1(ItemFeature.delete("late", 5), 1);
    harness.processElement1(ItemFeature.upsert("late", new float[] {1}, null, 10), 2);

    assertThat(keys(harness, KnownItemGate.FORGET_AT)).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
    harness.setProcessingTime(RETENTION);
    harness.processElement2(click("u1", "late", 0), 5);
    assertThat(harness.extractOutputValues()).extracting(e -> e.interaction.userId).contains("u1");
  }

  @Test
  void whenTrainingTheGatePassesTheLatestFeaturesAlong() throws Exception {
    open(new EngagementAdmission(0, 1));
    harness.processElement2(click("u1", "a", 0), 5);
    harness.processElement1(ItemFeature.upsert("a", new float[] {1}, "g", 10), 6);
    harness.processElement1(ItemFeature.upsert("a", new float[] {0}, "g", 9), 7);
    harness.processElement2(click("u2", "a", 1), 8);
    harness.processElement1(ItemFeature.upsert("a", new float[] {2}, "g", 11), 9);
    harness.processElement2(click("u3", "a", 2), 10);

    assertThat(harness.extractOutputValues())
        .as("the waiting click gets the item's first features; an older event replaces nothing")
        .extracting(e -> e.interaction.userId + "=" + e.item.vector[0])
        .containsExactly("u1=1.0", "u2=1.0", "u3=2.0");
  }

  @Test
  void aboveTheTrainingBudgetOnlyAdmittedUsersEngagementsGoOn() throws Exception {
    open(new EngagementAdmission(10, 1));
    harness.processElement1(ItemFeature.upsert("a", new float[] {1}, "g", 1), 1);
    for (int i = 0; i < 200; i++) {
      harness.setProcessingTime(i * 10L);
      harness.processElement2(click("u" + i, "a", i), 5);
    }
    int firstSecond = harness.extractOutputValues().size();
    harness.getOutput().clear();
    for (int i = 0; i < 200; i++) {
      harness.setProcessingTime(2_000 + i * 10L);
      harness.processElement2(click("u" + i, "a", 200 + i), 5);
    }

    assertThat(firstSecond).as("the first window admits all").isGreaterThanOrEqualTo(100);
    assertThat(harness.extractOutputValues().size())
        .as("about 10 of 100 per second once the rate is known")
        .isBetween(5, 60);
    assertThat(harness.getSideOutput(DeadLetters.TAG))
        .as("not training on an engagement is not an error")
        .isNullOrEmpty();
  }

  @Test
  void turningTrainingOnOverIdOnlyStateWaitsForTheItemsFeatures() throws Exception {
    harness.processElement1(ItemFeature.upsert("a", new float[] {1}, "g", 10), 1);
    OperatorSubtaskState withoutTraining = harness.snapshot(1, 2);
    open(new EngagementAdmission(0, 1), withoutTraining);

    harness.processElement2(click("u1", "a", 0), 3);
    harness.processElement2(
        new SourcedInteraction(new Interaction("u2", "a", "dislike", -1f, 5), null), 3);
    assertThat(harness.extractOutputValues())
        .as("known, but no features to train on yet; a dislike is no engagement")
        .isEmpty();
    assertThat(harness.getSideOutput(DeadLetters.TAG)).isNullOrEmpty();

    harness.processElement1(ItemFeature.upsert("a", new float[] {2}, "g", 10), 4);
    harness.processElement2(click("u3", "a", 1), 5);
    assertThat(harness.extractOutputValues())
        .as("the re-published item fills the id-only entry, even at the same event time")
        .extracting(e -> e.interaction.userId + "=" + e.item.vector[0])
        .containsExactly("u3=2.0");
  }
}
