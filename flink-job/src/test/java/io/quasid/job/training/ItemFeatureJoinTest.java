package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.types.ItemFeature;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ItemFeatureJoinTest {
  private static final float[] A = {1f, 0f};
  private static final float[] A2 = {0.5f, 0.5f};
  private static final float[] B = {0f, 1f};

  private static KeyedTwoInputStreamOperatorTestHarness<
          String, CollaborativePair, ItemFeature, TrainingExample>
      triggerJoin(long grace) throws Exception {
    var h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new TriggerFeatureJoin(grace)),
            (CollaborativePair p) -> p.triggerId,
            (ItemFeature f) -> f.itemId,
            Types.STRING);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.open();
    return h;
  }

  private static KeyedTwoInputStreamOperatorTestHarness<
          String, TrainingExample, ItemFeature, TrainingExample>
      targetJoin() throws Exception {
    var h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new TargetFeatureJoin(0)),
            (TrainingExample e) -> e.targetItemId,
            (ItemFeature f) -> f.itemId,
            Types.STRING);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.open();
    return h;
  }

  @Test
  void triggerJoinUsesLatestFeaturesAndRejectsUnknownOrDeletedItems() throws Exception {
    try (var h = triggerJoin(0)) {
      h.processElement2(ItemFeature.upsert("a", A, "g", 10), 10);
      h.processElement2(ItemFeature.upsert("a", B, "g", 5), 11);
      h.processElement1(new CollaborativePair("a", "b", 20), 20);
      h.processElement2(ItemFeature.upsert("a", A2, "g2", 30), 30);
      h.processElement1(new CollaborativePair("a", "c", 40), 40);
      h.processElement1(new CollaborativePair("x", "b", 50), 50);
      assertThat(KeyedStateKeys.of(h, "latest-item-features")).containsExactly("a");

      h.processElement2(ItemFeature.delete("a", 60), 60);
      h.processElement1(new CollaborativePair("a", "b", 70), 70);

      assertThat(h.extractOutputValues())
          .as("the older update (B) never overwrote A")
          .containsExactly(
              TrainingExample.pair("a", A, "g", "b", null, null, 20),
              TrainingExample.pair("a", A2, "g2", "c", null, null, 40));
      assertThat(h.getSideOutput(ItemFeatureJoin.REJECTED))
          .extracting(StreamRecord::getValue)
          .containsExactly(
              RejectedPair.unknown("x", "x", "b", 50), RejectedPair.unknown("a", "a", "b", 70));
      assertThat(KeyedStateKeys.of(h, "latest-item-features"))
          .as("the delete cleared a's features")
          .isEmpty();
    }
  }

  @Test
  void targetJoinCompletesThePair() throws Exception {
    try (var h = targetJoin()) {
      h.processElement2(ItemFeature.upsert("b", B, null, 1), 1);
      h.processElement1(TrainingExample.pair("a", A, "g", "b", null, null, 2), 2);
      h.processElement1(TrainingExample.pair("a", A, "g", "y", null, null, 3), 3);

      assertThat(h.extractOutputValues())
          .containsExactly(TrainingExample.pair("a", A, "g", "b", B, null, 2));
      assertThat(h.getSideOutput(ItemFeatureJoin.REJECTED))
          .extracting(StreamRecord::getValue)
          .containsExactly(RejectedPair.unknown("y", "a", "y", 3));
    }
  }

  @Test
  void aPairWaitsForItsItemsFeaturesUpToTheGraceThenIsRejected() throws Exception {
    try (var h = triggerJoin(100)) {
      h.setProcessingTime(0);
      h.processElement1(new CollaborativePair("a", "b", 10), 10);
      h.processElement1(new CollaborativePair("a", "c", 11), 11);
      h.processElement1(new CollaborativePair("x", "b", 12), 12);
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.getSideOutput(ItemFeatureJoin.REJECTED)).isNull();

      h.setProcessingTime(50);
      h.processElement2(ItemFeature.upsert("a", A, "g", 5), 50);
      assertThat(h.extractOutputValues())
          .as("both waiting pairs joined once the item arrived")
          .containsExactly(
              TrainingExample.pair("a", A, "g", "b", null, null, 10),
              TrainingExample.pair("a", A, "g", "c", null, null, 11));

      h.setProcessingTime(100);
      assertThat(h.getSideOutput(ItemFeatureJoin.REJECTED))
          .extracting(StreamRecord::getValue)
          .containsExactly(RejectedPair.unknown("x", "x", "b", 12));
      assertThat(KeyedStateKeys.of(h, "pairs-waiting")).as("nothing left waiting").isEmpty();
      assertThat(KeyedStateKeys.of(h, "pairs-waiting-timer")).isEmpty();
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }
}
