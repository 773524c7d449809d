package io.quasid.job.pipeline;

import static io.quasid.job.pipeline.StateProbe.keys;
import static io.quasid.job.pipeline.StateProbe.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.ModelUpdate;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SidAssignerTest {

  private KeyedBroadcastOperatorTestHarness<String, ItemFeature, ModelUpdate, BucketChange> harness;

  @BeforeEach
  void open() throws Exception {
    harness = open(ChurnPolicy.always(), null);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static KeyedBroadcastOperatorTestHarness<String, ItemFeature, ModelUpdate, BucketChange>
      open(ChurnPolicy policy, OperatorSubtaskState restoreFrom) throws Exception {
    var operator =
        new CoBroadcastWithKeyedOperator<>(
            new SidAssigner(new GridTokenizer.Factory(), policy, 2, GridTokenizer.DIM),
            List.of(SidAssigner.LIVE_MODEL));
    var h =
        new KeyedBroadcastOperatorTestHarness<>(
            operator, (ItemFeature f) -> f.itemId, Types.STRING, 1, 1, 0);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    if (restoreFrom != null) {
      h.initializeState(restoreFrom);
    }
    h.open();
    return h;
  }

  private static ItemFeature item(String id, float a, float b, float c, float residual) {
    return ItemFeature.upsert(id, new float[] {a, b, c, residual}, null, 1_000);
  }

  @Test
  void newItemJoinsItsBucketAtOnceAndKeepsFeaturesCodesAndRevision() throws Exception {
    harness.processElement(item("a", 0.1f, 0.2f, 0.3f, 0.5f), 1_000);

    assertThat(harness.extractOutputValues())
        .containsExactly(BucketChange.join("a", new int[] {1, 2, 3}, 1, 0, 1_000));
    assertThat(state(harness, "a", SidAssigner.FEATURES).value().vector)
        .containsExactly(0.1f, 0.2f, 0.3f, 0.5f);
    assertThat(state(harness, "a", SidAssigner.CODES).value().codes).containsExactly(1, 2, 3);
    assertThat(state(harness, "a", SidAssigner.REVISION).value()).isEqualTo(1L);
  }

  @Test
  void featureChangeMovesBucketOnlyWhenCodesChange() throws Exception {
    harness.processElement(item("a", 0.1f, 0.2f, 0.3f, 0.5f), 1_000);
    harness.processElement(item("a", 0.11f, 0.2f, 0.3f, 0.9f), 1_000);
    harness.processElement(item("a", 0.5f, 0.2f, 0.3f, 0.9f), 1_000);

    assertThat(harness.extractOutputValues())
        .containsExactly(
            BucketChange.join("a", new int[] {1, 2, 3}, 1, 0, 1_000),
            BucketChange.leave("a", new int[] {1, 2, 3}, 2, 0, false, 1_000),
            BucketChange.join("a", new int[] {5, 2, 3}, 2, 0, 1_000));
    assertThat(state(harness, "a", SidAssigner.CODES).value().residualNorm).isEqualTo(0.9f);
  }

  @Test
  void deleteLeavesWithTombstoneFlagClearsFeaturesAndCodesButKeepsRevision() throws Exception {
    harness.processElement(item("a", 0.1f, 0.2f, 0.3f, 0.5f), 1_000);
    harness.processElement(ItemFeature.delete("a", 2_000), 2_000);
    harness.processElement(ItemFeature.delete("never-seen", 2_000), 2_000);

    assertThat(harness.extractOutputValues())
        .containsExactly(
            BucketChange.join("a", new int[] {1, 2, 3}, 1, 0, 1_000),
            BucketChange.leave("a", new int[] {1, 2, 3}, 2, 0, true, 2_000));
    assertThat(keys(harness, SidAssigner.FEATURES)).isZero();
    assertThat(keys(harness, SidAssigner.CODES)).isZero();
    assertThat(state(harness, "a", SidAssigner.REVISION).value()).isEqualTo(2L);
  }

  @Test
  void modelUpdateReencodesEveryKnownItemAndEmitsOnlyChangedCodes() throws Exception {
    // Three items (more than one batch of 2); "c" maps to the same codes under shift 16 = 0 mod 16.
    harness.processElement(item("a", 0.1f, 0.2f, 0.3f, 0.5f), 1_000);
    harness.processElement(item("b", 0.4f, 0.5f, 0.6f, 0.5f), 1_000);
    harness.processElement(ItemFeature.delete("b", 1_500), 1_500);
    harness.processElement(item("c", 0.7f, 0.8f, 0.9f, 0.5f), 1_000);
    harness.getOutput().clear();

    harness.processBroadcastElement(GridTokenizer.update(1, 1, 5_000), 5_000);

    assertThat(harness.extractOutputValues())
        .containsExactly(
            BucketChange.leave("a", new int[] {1, 2, 3}, 2, 0, false, 5_000),
            BucketChange.leave("c", new int[] {7, 8, 9}, 2, 0, false, 5_000),
            BucketChange.join("a", new int[] {2, 3, 4}, 2, 1, 5_000),
            BucketChange.join("c", new int[] {8, 9, 10}, 2, 1, 5_000));
    assertThat(harness.getBroadcastState(SidAssigner.LIVE_MODEL).get(SidAssigner.LIVE_KEY).version)
        .isEqualTo(1);
    assertThat(state(harness, "c", SidAssigner.CODES).value().modelVersion).isEqualTo(1);
    assertThat(keys(harness, SidAssigner.FEATURES)).isEqualTo(2);

    harness.getOutput().clear();
    harness.processBroadcastElement(GridTokenizer.update(2, 17, 6_000), 6_000);
    assertThat(harness.extractOutputValues()).isEmpty();
    harness.processBroadcastElement(GridTokenizer.update(1, 5, 7_000), 7_000);
    assertThat(harness.extractOutputValues()).as("stale version ignored").isEmpty();
  }

  @Test
  void churnPolicyKeepsOldCodesUnlessTheResidualImprovesEnough() throws Exception {
    harness.close();
    harness = open(ChurnPolicy.keepUnlessBetter(0.6), null);
    harness.processElement(item("a", 0.1f, 0.2f, 0.3f, 0.5f), 1_000);
    harness.getOutput().clear();

    // Shift 1 halves the residual: not 60% better, so "a" keeps its codes.
    harness.processBroadcastElement(GridTokenizer.update(1, 1, 5_000), 5_000);
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(state(harness, "a", SidAssigner.CODES).value().codes).containsExactly(1, 2, 3);

    // Shift 3 quarters it: better by 75%, so "a" moves.
    harness.processBroadcastElement(GridTokenizer.update(2, 3, 6_000), 6_000);
    assertThat(harness.extractOutputValues())
        .containsExactly(
            BucketChange.leave("a", new int[] {1, 2, 3}, 2, 0, false, 6_000),
            BucketChange.join("a", new int[] {4, 5, 6}, 2, 2, 6_000));
  }

  @Test
  void restoredOperatorUsesTheLiveModelFromBroadcastState() throws Exception {
    harness.processElement(item("a", 0.1f, 0.2f, 0.3f, 0.5f), 1_000);
    harness.processBroadcastElement(GridTokenizer.update(3, 2, 5_000), 5_000);
    OperatorSubtaskState snapshot = harness.snapshot(1, 6_000);
    harness.close();

    harness = open(ChurnPolicy.always(), snapshot);
    harness.processElement(item("b", 0.1f, 0.2f, 0.3f, 0.5f), 7_000);

    assertThat(harness.extractOutputValues())
        .containsExactly(BucketChange.join("b", new int[] {3, 4, 5}, 1, 3, 1_000));
    assertThat(state(harness, "a", SidAssigner.CODES).value().codes).containsExactly(3, 4, 5);
    assertThat(state(harness, "a", SidAssigner.REVISION).value()).isEqualTo(2L);
  }

  @Test
  void recordsOlderThanTheNewestEventOfTheirItemAreDroppedDeletesIncluded() throws Exception {
    harness.processElement(
        ItemFeature.upsert("a", new float[] {0.1f, 0.2f, 0.3f, 0.5f}, null, 1_000), 0);
    harness.processElement(ItemFeature.delete("a", 3_000), 0);
    // An upsert from before the delete arrives late: it must not bring "a" back.
    harness.processElement(
        ItemFeature.upsert("a", new float[] {0.4f, 0.2f, 0.3f, 0.5f}, null, 2_000), 0);
    // A re-add after the delete is applied.
    harness.processElement(
        ItemFeature.upsert("a", new float[] {0.5f, 0.2f, 0.3f, 0.5f}, null, 4_000), 0);
    // An old upsert after that is dropped too, and an update at the same time is applied.
    harness.processElement(
        ItemFeature.upsert("a", new float[] {0.9f, 0.2f, 0.3f, 0.5f}, null, 3_500), 0);
    harness.processElement(
        ItemFeature.upsert("a", new float[] {0.6f, 0.2f, 0.3f, 0.5f}, null, 4_000), 0);

    assertThat(harness.extractOutputValues())
        .containsExactly(
            BucketChange.join("a", new int[] {1, 2, 3}, 1, 0, 1_000),
            BucketChange.leave("a", new int[] {1, 2, 3}, 2, 0, true, 3_000),
            BucketChange.join("a", new int[] {5, 2, 3}, 3, 0, 4_000),
            BucketChange.leave("a", new int[] {5, 2, 3}, 4, 0, false, 4_000),
            BucketChange.join("a", new int[] {6, 2, 3}, 4, 0, 4_000));
    assertThat(state(harness, "a", SidAssigner.NEWEST_EVENT_TIME).value()).isEqualTo(4_000L);
    assertThat(state(harness, "a", SidAssigner.CODES).value().codes).containsExactly(6, 2, 3);
  }
}
