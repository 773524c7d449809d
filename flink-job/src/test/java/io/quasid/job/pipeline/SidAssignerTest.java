package io.quasid.job.pipeline;

import static io.quasid.job.pipeline.StateProbe.keys;
import static io.quasid.job.pipeline.StateProbe.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.ModelUpdate;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SidAssignerTest {

  private static final long FLUSH_MS = 10;

  private KeyedTwoInputStreamOperatorTestHarness<String, ItemFeature, ModelUpdate, BucketChange>
      harness;
  private long now;

  @BeforeEach
  void open() throws Exception {
    harness = open(ChurnPolicy.always(), 2, 2, null);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /**
   * Where a harness runs: subtask {@code subtask} of {@code parallelism} under {@code
   * maxParallelism}, restored from state of {@code restoredParallelism} subtasks, on {@code
   * backend} (RocksDB unless said).
   */
  private record Placement(
      int maxParallelism,
      int restoredParallelism,
      int parallelism,
      int subtask,
      StateBackend backend) {

    Placement(int maxParallelism, int restoredParallelism, int parallelism, int subtask) {
      this(
          maxParallelism,
          restoredParallelism,
          parallelism,
          subtask,
          new EmbeddedRocksDBStateBackend());
    }

    static Placement alone(StateBackend backend) {
      return new Placement(1, 1, 1, 0, backend);
    }
  }

  private static KeyedTwoInputStreamOperatorTestHarness<
          String, ItemFeature, ModelUpdate, BucketChange>
      open(ChurnPolicy policy, int batchSize, int sliceSize, OperatorSubtaskState restoreFrom)
          throws Exception {
    return open(
        policy,
        batchSize,
        sliceSize,
        restoreFrom,
        Placement.alone(new EmbeddedRocksDBStateBackend()));
  }

  private static KeyedTwoInputStreamOperatorTestHarness<
          String, ItemFeature, ModelUpdate, BucketChange>
      open(
          ChurnPolicy policy,
          int batchSize,
          int sliceSize,
          OperatorSubtaskState restoreFrom,
          Placement placement)
          throws Exception {
    int maxParallelism = placement.maxParallelism();
    int parallelism = placement.parallelism();
    int subtask = placement.subtask();
    // The broadcast input needs a key of this subtask's key groups in a harness.
    String updateKey =
        parallelism == 1
            ? ""
            : idsInKeyGroup(
                    KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                            maxParallelism, parallelism, subtask)
                        .getStartKeyGroup(),
                    maxParallelism,
                    1)
                .get(0);
    var h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new SidAssigner(
                new GridTokenizer.Factory(),
                policy,
                batchSize,
                FLUSH_MS,
                sliceSize,
                0.5,
                GridTokenizer.DIM),
            (ItemFeature f) -> f.itemId,
            (ModelUpdate u) -> updateKey,
            Types.STRING,
            maxParallelism,
            parallelism,
            subtask);
    h.setStateBackend(placement.backend());
    if (restoreFrom != null) {
      h.initializeState(
          AbstractStreamOperatorTestHarness.repartitionOperatorState(
              restoreFrom, maxParallelism, placement.restoredParallelism(), parallelism, subtask));
    }
    h.open();
    return h;
  }

  private void send(ItemFeature f) throws Exception {
    harness.processElement1(new StreamRecord<>(f));
  }

  private void send(ModelUpdate u) throws Exception {
    harness.processElement2(new StreamRecord<>(u));
  }

  /** Items i0 .. i(n-1), each with its own first feature, encoded and applied. */
  private void sendItemsAndSettle(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      send(item("i" + i, 0.1f * i, 0.2f, 0.3f, 0.5f));
    }
    settle();
  }

  /** Lets processing time pass until every flush and re-encoding timer has fired. */
  private void settle() throws Exception {
    for (int i = 0; i < 50; i++) {
      now += FLUSH_MS;
      harness.setProcessingTime(now);
    }
  }

  private ModelUpdate liveModel() throws Exception {
    return harness
        .getOperator()
        .getOperatorStateBackend()
        .getBroadcastState(SidAssigner.LIVE_MODEL)
        .get(SidAssigner.LIVE_KEY);
  }

  private static ItemFeature item(String id, float a, float b, float c, float residual) {
    return ItemFeature.upsert(id, new float[] {a, b, c, residual}, null, 1_000);
  }

  @Test
  void newItemJoinsItsBucketAtOnceAndKeepsFeaturesCodesAndRevision() throws Exception {
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));

    settle();
    assertThat(harness.extractOutputValues())
        .containsExactly(BucketChange.join("a", new int[] {1, 2, 3}, 1, 0, 1_000));
    ItemState a = state(harness, "a", SidAssigner.ITEM).value();
    assertThat(a.vector).containsExactly(0.1f, 0.2f, 0.3f, 0.5f);
    assertThat(a.codes.codes).containsExactly(1, 2, 3);
    assertThat(a.revision).isEqualTo(1L);
    assertThat(a.newestEventTime).isEqualTo(1_000L);
  }

  @Test
  void featureChangeMovesBucketOnlyWhenCodesChange() throws Exception {
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));
    send(item("a", 0.11f, 0.2f, 0.3f, 0.9f));
    send(item("a", 0.5f, 0.2f, 0.3f, 0.9f));

    settle();
    assertThat(harness.extractOutputValues())
        .containsExactly(
            BucketChange.join("a", new int[] {1, 2, 3}, 1, 0, 1_000),
            BucketChange.leave("a", new int[] {1, 2, 3}, 2, 0, false, 1_000),
            BucketChange.join("a", new int[] {5, 2, 3}, 2, 0, 1_000));
    assertThat(state(harness, "a", SidAssigner.ITEM).value().codes.residualNorm).isEqualTo(0.9f);
  }

  @Test
  void deleteLeavesWithTombstoneFlagClearsFeaturesAndCodesButKeepsRevision() throws Exception {
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));
    send(ItemFeature.delete("a", 2_000));
    send(ItemFeature.delete("never-seen", 2_000));

    settle();
    assertThat(harness.extractOutputValues())
        .containsExactly(
            BucketChange.join("a", new int[] {1, 2, 3}, 1, 0, 1_000),
            BucketChange.leave("a", new int[] {1, 2, 3}, 2, 0, true, 2_000));
    ItemState a = state(harness, "a", SidAssigner.ITEM).value();
    assertThat(a.vector).isNull();
    assertThat(a.codes).isNull();
    assertThat(a.revision).isEqualTo(2L);
    assertThat(a.newestEventTime).isEqualTo(2_000L);
    assertThat(state(harness, "never-seen", SidAssigner.ITEM).value().revision).isZero();
  }

  /** Deletes of ids that never existed (a producer's bug, or a hostile one) must not grow state. */
  @Test
  void theDeleteOfAnIdNeverSeenOrdersItsEventsOnlyForTheRetention() throws Exception {
    send(ItemFeature.delete("ghost", 2_000));
    send(ItemFeature.upsert("ghost", new float[] {0.1f, 0.2f, 0.3f, 0.5f}, null, 1_500));
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));
    send(ItemFeature.delete("a", 2_000));
    settle();
    assertThat(harness.extractOutputValues())
        .as("the upsert older than the delete is dropped")
        .extracting(c -> c.itemId)
        .containsOnly("a");
    assertThat(keys(harness, SidAssigner.ITEM)).isEqualTo(2);

    now += SidAssigner.DEFAULT_UNKNOWN_DELETE_RETENTION.toMillis();
    harness.setProcessingTime(now);

    assertThat(keys(harness, SidAssigner.ITEM))
        .as("a published item keeps its revision; the unknown id's delete is forgotten")
        .isEqualTo(1);
    assertThat(state(harness, "a", SidAssigner.ITEM).value().revision).isEqualTo(2L);
  }

  @Test
  void modelUpdateReencodesEveryKnownItemAndEmitsOnlyChangedCodes() throws Exception {
    // Three items (more than one batch of 2); "c" maps to the same codes under shift 16 = 0 mod 16.
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));
    send(item("b", 0.4f, 0.5f, 0.6f, 0.5f));
    send(ItemFeature.delete("b", 1_500));
    send(item("c", 0.7f, 0.8f, 0.9f, 0.5f));
    settle();
    harness.getOutput().clear();

    send(GridTokenizer.update(1, 1, 5_000));

    settle();
    assertThat(harness.extractOutputValues())
        .containsExactly(
            BucketChange.leave("a", new int[] {1, 2, 3}, 2, 0, false, 5_000),
            BucketChange.leave("c", new int[] {7, 8, 9}, 2, 0, false, 5_000),
            BucketChange.join("a", new int[] {2, 3, 4}, 2, 1, 5_000),
            BucketChange.join("c", new int[] {8, 9, 10}, 2, 1, 5_000));
    assertThat(liveModel().version).isEqualTo(1);
    assertThat(state(harness, "c", SidAssigner.ITEM).value().codes.modelVersion).isEqualTo(1);
    assertThat(state(harness, "b", SidAssigner.ITEM).value().live()).isFalse();

    settle();
    harness.getOutput().clear();
    send(GridTokenizer.update(2, 17, 6_000));
    settle();
    assertThat(harness.extractOutputValues()).isEmpty();
    send(GridTokenizer.update(1, 5, 7_000));
    settle();
    assertThat(harness.extractOutputValues()).as("stale version ignored").isEmpty();
  }

  @Test
  void churnPolicyKeepsOldCodesUnlessTheResidualImprovesEnough() throws Exception {
    harness.close();
    harness = open(ChurnPolicy.keepUnlessBetter(0.6), 2, 2, null);
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));
    settle();
    harness.getOutput().clear();

    // Shift 1 halves the residual: not 60% better, so "a" keeps its codes.
    send(GridTokenizer.update(1, 1, 5_000));
    settle();
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(state(harness, "a", SidAssigner.ITEM).value().codes.codes).containsExactly(1, 2, 3);

    // Re-publishing the same features does not get round the policy.
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));
    settle();
    assertThat(harness.extractOutputValues()).isEmpty();

    // Shift 3 quarters it: better by 75%, so "a" moves.
    send(GridTokenizer.update(2, 3, 6_000));
    settle();
    assertThat(harness.extractOutputValues())
        .containsExactly(
            BucketChange.leave("a", new int[] {1, 2, 3}, 2, 0, false, 6_000),
            BucketChange.join("a", new int[] {4, 5, 6}, 2, 2, 6_000));
  }

  /**
   * Five items i0..i4 held at v0, then v1 (shift 1) changes every item's codes; the gain in the new
   * space is 0.3 / (r / 2 + 0.3): r = 0.1 -> 0.86 (i1), 0.2 -> 0.75 (i4), 0.5 -> 0.55, 1.0 -> 0.38,
   * 2.0 -> 0.23 (below a margin of 0.3). Returns v1's changes as "KIND item".
   */
  private List<String> changesOfFiveItemsRankedByGain() throws Exception {
    float[] residuals = {1.0f, 0.1f, 2.0f, 0.5f, 0.2f};
    for (int i = 0; i < residuals.length; i++) {
      send(item("i" + i, 0.1f * i, 0.2f, 0.3f, residuals[i]));
    }
    settle();
    harness.getOutput().clear();

    send(GridTokenizer.update(1, 1, 5_000));
    settle();
    return harness.extractOutputValues().stream().map(c -> c.kind + " " + c.itemId).toList();
  }

  @Test
  void aBudgetMovesOnlyTheBestCandidatesUpToItsCapAndTheRestKeepTheirCodes() throws Exception {
    harness.close();
    harness = open(ChurnPolicy.budget(2, 0.3), 2, 2, null);
    assertThat(changesOfFiveItemsRankedByGain())
        .as("the two best gains move, the cap holds, the rest keep their codes")
        .containsExactly("LEAVE i1", "LEAVE i4", "JOIN i1", "JOIN i4");
    assertThat(state(harness, "i3", SidAssigner.ITEM).value().codes.modelVersion).isZero();
    assertThat(state(harness, "i1", SidAssigner.ITEM).value().budgetedMoveVersion).isEqualTo(1);
    MigrationPart swept = migrationReports().get(migrationReports().size() - 1);
    assertThat(swept.kind).isEqualTo(MigrationPart.Kind.SWEPT);
    assertThat(migrationReports().stream().mapToLong(r -> r.moved).sum()).isEqualTo(2);
    assertThat(migrationReports().stream().mapToLong(r -> r.keptByPolicy).sum()).isEqualTo(3);
    assertThat(swept.churnPolicy).isEqualTo("BUDGET:2:0.3");
  }

  @Test
  void aBudgetHoldsAcrossARescaleThatRestartsASweepOneSubtaskHadFinished() throws Exception {
    ChurnPolicy policy = ChurnPolicy.budget(4, 0.0); // a cap of 2 on each of two subtasks

    // Subtask 0 finishes its sweep of v1 and moves its 2; subtask 1 is checkpointed mid-sweep.
    TwoSubtasks v1 = sweptOnFirstOfTwoSubtasks(policy, 4);
    assertThat(v1.firstJoins()).hasSize(2);
    assertThat(v1.secondOutput()).as("ranked only").isEmpty();

    // Scaled in to one subtask: the union state restarts the sweep of v1 over all 8 items.
    harness = open(policy, 2, 2, v1.merged(), new Placement(2, 2, 1, 0));
    settle();
    assertThat(v1.firstJoins().size() + joins(harness).size())
        .as("moves of v1 job-wide, budget 4")
        .isEqualTo(4);
  }

  @Test
  void aShareBudgetMovesAtMostItsShareOfTheKnownItemsAsTheCatalogueGrows() throws Exception {
    harness.close();
    harness = open(ChurnPolicy.parse("BUDGET:40%:0.3"), 2, 2, null);
    // As in the budget of 2 above: 40 % of 5 known items is a cap of 2, the two best gains move.
    assertThat(changesOfFiveItemsRankedByGain())
        .as("floor(40 % of 5) = 2: the two best gains move, the rest keep their codes")
        .containsExactly("LEAVE i1", "LEAVE i4", "JOIN i1", "JOIN i4");
    MigrationPart swept = migrationReports().get(migrationReports().size() - 1);
    assertThat(swept.kind).isEqualTo(MigrationPart.Kind.SWEPT);
    assertThat(swept.churnPolicy).isEqualTo("BUDGET:40%:0.3");
    assertThat(swept.moveCap).as("the cap the subtask applied").isEqualTo(2);
    assertThat(migrationReports().stream().mapToLong(r -> r.moved).sum()).isEqualTo(2);
    assertThat(migrationReports().stream().mapToLong(r -> r.keptByPolicy).sum()).isEqualTo(3);

    // Five more items arrive (encoded by v1); v2 changes every item's codes: 40 % of 10 = 4 move.
    for (int i = 5; i < 10; i++) {
      send(item("i" + i, 0.1f * i, 0.2f, 0.3f, 0.5f));
    }
    settle();
    harness.getOutput().clear();
    send(GridTokenizer.update(2, 3, 6_000));
    settle();

    assertThat(joins(harness)).as("the cap grew with the catalogue").hasSize(4);
  }

  @Test
  void aShareBudgetRestoredInTheMiddleOfASweepMovesWhatAnUninterruptedSweepMoves()
      throws Exception {
    harness.close();
    ChurnPolicy policy = ChurnPolicy.parse("BUDGET:30%:0.0"); // 30 % of 10 known items: 3
    harness = open(policy, 2, 2, null);
    List<String> uninterrupted = sweepOfTenItemsWithTwoChangedOnTheWay(false);
    harness.close();

    harness = open(policy, 2, 2, null);
    List<String> beforeRestore = sweepOfTenItemsWithTwoChangedOnTheWay(true);
    assertThat(beforeRestore).as("ranked, nothing moved yet").containsExactly("z0", "z1");
    OperatorSubtaskState snapshot = harness.snapshot(1, now);
    harness.close();
    harness = open(policy, 2, 2, snapshot);
    settle();
    List<String> afterRestore = joins(harness);

    assertThat(uninterrupted)
        .as("the two changed items (counted known, not against the cap) and the three best")
        .hasSize(5);
    assertThat(afterRestore)
        .as("the items done before the restore still count as known: the cap is 3 again")
        .containsExactlyInAnyOrderElementsOf(
            uninterrupted.stream().filter(id -> !beforeRestore.contains(id)).toList());
    long budgeted = 0;
    for (String id : afterRestore) {
      budgeted += stateOf(id).budgetedMoveVersion == 1 ? 1 : 0;
    }
    assertThat(budgeted).isEqualTo(3);
  }

  @Test
  void onAHeapBackendAnItemArrivingMidSweepLeavesTheShareBudgetsMovesAsOnRocksDb()
      throws Exception {
    harness.close();
    List<List<String>> moved = new java.util.ArrayList<>();
    List<List<Long>> capped = new java.util.ArrayList<>();
    for (StateBackend backend :
        List.<StateBackend>of(new EmbeddedRocksDBStateBackend(), new HashMapStateBackend())) {
      // 30 % of 10 known items, or of 11 if the pass counts the newcomer: a cap of 3 either way.
      harness = open(ChurnPolicy.parse("BUDGET:30%:0.0"), 2, 2, null, Placement.alone(backend));
      for (int i = 0; i < 10; i++) {
        send(item("i" + i, 0.1f * i, 0.2f, 0.3f, 0.1f + 0.08f * i));
      }
      settle();
      harness.getOutput().clear();
      send(GridTokenizer.update(1, 1, 5_000));
      now += 1;
      harness.setProcessingTime(now); // one slice ranked
      // A new key mid-sweep. The heap backend's key iterator reads a key group's keys when it
      // reaches it (here it does not throw ConcurrentModificationException, which the sweep
      // would answer by starting its pass over), RocksDB's sees the key: either way the newcomer
      // takes v1's codes at once and the known items are ranked and capped alike.
      send(item("new", 0.5f, 0.2f, 0.3f, 0.5f));
      settle();
      assertThat(joins(harness)).as("the newcomer joins with v1's codes at once").contains("new");
      assertThat(stateOf("new").codes.modelVersion).isEqualTo(1);
      moved.add(joins(harness).stream().filter(id -> !id.equals("new")).sorted().toList());
      capped.add(movesAndCaps(harness));
      harness.close();
    }

    assertThat(moved.get(0)).hasSize(3);
    assertThat(moved.get(1))
        .as("the heap backend moves what RocksDB moves")
        .isEqualTo(moved.get(0));
    assertThat(capped.get(1)).isEqualTo(capped.get(0)).containsExactly(3L, 3L);
  }

  /**
   * Ten items i0..i9 with gains by residual; v1 (shift 1) arrives; after its first slice the
   * features of z0 and z1 (after the i's in key order: not ranked yet) change, so v1 re-encodes
   * them on arrival. Stops after that slice when {@code interrupted}, else lets the sweep end.
   * Returns the JOINs since v1 arrived.
   */
  private List<String> sweepOfTenItemsWithTwoChangedOnTheWay(boolean interrupted) throws Exception {
    for (int i = 0; i < 8; i++) {
      send(item("i" + i, 0.1f * i, 0.2f, 0.3f, 0.1f + 0.2f * i));
    }
    send(item("z0", 0.8f, 0.2f, 0.3f, 0.5f));
    send(item("z1", 0.9f, 0.2f, 0.3f, 0.5f));
    settle();
    harness.getOutput().clear();
    send(GridTokenizer.update(1, 1, 5_000));
    now += 1;
    harness.setProcessingTime(now); // one slice: 2 items ranked
    send(item("z0", 0.8f, 0.4f, 0.3f, 0.5f));
    send(item("z1", 0.9f, 0.4f, 0.3f, 0.5f));
    harness.prepareSnapshotPreBarrier(1); // flushes the two changed items
    if (!interrupted) {
      settle();
    }
    return joins(harness);
  }

  @Test
  void aShareBudgetHoldsWhenOneSubtaskHadFinishedItsSweepBeforeTheRestore() throws Exception {
    ChurnPolicy policy = ChurnPolicy.parse("BUDGET:40%:0.0"); // 40 % of 5: a cap of 2 on each
    TwoSubtasks v1 = sweptOnFirstOfTwoSubtasks(policy, 5);
    assertThat(v1.firstJoins()).hasSize(2);
    assertThat(v1.secondOutput()).isEmpty();

    // Same parallelism: the union state restarts the sweep of v1 on both subtasks.
    var first = open(policy, 2, 2, v1.merged(), new Placement(2, 2, 2, 0));
    var second = open(policy, 2, 2, v1.merged(), new Placement(2, 2, 2, 1));
    for (int i = 100; i < 150; i++) {
      first.setProcessingTime(FLUSH_MS * i);
      second.setProcessingTime(FLUSH_MS * i);
    }

    assertThat(joins(first)).as("its 2 moves before the restore fill its cap").isEmpty();
    assertThat(joins(second)).hasSize(2);
    assertThat(movesAndCaps(first)).as("its key groups were swept: cap 0").containsExactly(0L, 0L);
    assertThat(movesAndCaps(second)).containsExactly(2L, 2L);
    first.close();
    second.close();
  }

  @Test
  void aShareBudgetHoldsAcrossARescaleThatRestartsASweepOneSubtaskHadFinished() throws Exception {
    ChurnPolicy policy = ChurnPolicy.parse("BUDGET:40%:0.0"); // 40 % of 4: a cap of 1 on each
    TwoSubtasks v1 = sweptOnFirstOfTwoSubtasks(policy, 4);
    assertThat(v1.firstJoins()).hasSize(1);

    // Scaled in to one subtask: key group 0 had been swept to its end, so only key group 1's 4
    // known items are ranked again, with a cap of floor(40 % of 4) = 1.
    harness = open(policy, 2, 2, v1.merged(), new Placement(2, 2, 1, 0));
    settle();

    assertThat(joins(harness)).allMatch(v1.secondItems()::contains).hasSize(1);
    assertThat(v1.firstJoins().size() + joins(harness).size())
        .as("moves of v1 job-wide")
        .isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"BUDGET:4:0.0", "BUDGET:25%:0.0"})
  void aBudgetHoldsAcrossAScaleOutAfterOneSubtaskMovedItsShareWithinOneKeyGroup(String budget)
      throws Exception {
    harness.close();
    int maxParallelism = 4;
    ChurnPolicy policy = ChurnPolicy.parse(budget); // 4 of 16 items, a cap of 2 per subtask
    // Subtask 0 of 2 owns key groups 0-1, subtask 1 owns 2-3. Key group 1's items fit worst under
    // their held codes (residual 0.1: gain 0.86 against 0.38), so subtask 0 moves both of its 2
    // there, a whole cap in one key group.
    var first = open(policy, 2, 2, null, new Placement(maxParallelism, 2, 2, 0));
    var second = open(policy, 2, 2, null, new Placement(maxParallelism, 2, 2, 1));
    for (int group = 0; group < maxParallelism; group++) {
      var owner = group < 2 ? first : second;
      List<String> ids = idsInKeyGroup(group, maxParallelism, 4);
      for (int i = 0; i < ids.size(); i++) {
        float residual = group == 1 ? 0.1f : 1.0f;
        owner.processElement1(new StreamRecord<>(item(ids.get(i), 0.1f * i, 0.2f, 0.3f, residual)));
      }
    }
    for (int i = 0; i < 50; i++) {
      first.setProcessingTime(FLUSH_MS * i);
      second.setProcessingTime(FLUSH_MS * i);
    }
    first.getOutput().clear();
    second.getOutput().clear();
    first.processElement2(new StreamRecord<>(GridTokenizer.update(1, 1, 5_000)));
    second.processElement2(new StreamRecord<>(GridTokenizer.update(1, 1, 5_000)));
    for (int i = 50; i < 100; i++) {
      first.setProcessingTime(FLUSH_MS * i);
    }
    second.setProcessingTime(FLUSH_MS * 50 + 1); // one slice: ranked, nothing moved yet
    List<String> movedFirst = joins(first);
    assertThat(movedFirst)
        .allMatch(id -> KeyGroupRangeAssignment.assignToKeyGroup(id, maxParallelism) == 1)
        .hasSize(2);
    assertThat(movesAndCaps(first)).containsExactly(2L, 2L);
    OperatorSubtaskState merged =
        AbstractStreamOperatorTestHarness.repackageState(
            first.snapshot(1, FLUSH_MS * 100), second.snapshot(1, FLUSH_MS * 100));
    first.close();
    second.close();

    // Scaled out to 4 subtasks, one key group each: the union state restarts the sweep on all.
    long movedAfter = 0;
    long capsAfter = 0;
    for (int subtask = 0; subtask < maxParallelism; subtask++) {
      var scaled =
          open(policy, 2, 2, merged, new Placement(maxParallelism, 2, maxParallelism, subtask));
      for (int i = 100; i < 150; i++) {
        scaled.setProcessingTime(FLUSH_MS * i);
      }
      List<String> moved = joins(scaled);
      if (subtask < 2) {
        assertThat(moved).as("key group %d was ranked to the end before", subtask).isEmpty();
      }
      movedAfter += moved.size();
      capsAfter += movesAndCaps(scaled).get(1);
      scaled.close();
    }

    assertThat(movedFirst.size() + movedAfter).as("moves of v1 job-wide").isEqualTo(4);
    assertThat(2 + capsAfter).as("the caps the migration summary adds up").isEqualTo(4);
  }

  /**
   * What {@link #sweptOnFirstOfTwoSubtasks} leaves: the first subtask's JOINs and the second's
   * output since v1, the second's items, and both subtasks' snapshot, repackaged for a restore.
   */
  private record TwoSubtasks(
      List<String> firstJoins,
      List<BucketChange> secondOutput,
      List<String> secondItems,
      OperatorSubtaskState merged) {}

  /**
   * Closes the default harness; two subtasks of max parallelism 2 (one key group each) under {@code
   * policy} get {@code items} items each and v1: the first sweeps it to its end, the second one
   * slice (ranked, nothing moved); both are checkpointed and closed.
   */
  private TwoSubtasks sweptOnFirstOfTwoSubtasks(ChurnPolicy policy, int items) throws Exception {
    harness.close();
    List<String> group0 = idsInKeyGroup(0, 2, items);
    List<String> group1 = idsInKeyGroup(1, 2, items);
    var first = open(policy, 2, 2, null, new Placement(2, 2, 2, 0));
    var second = open(policy, 2, 2, null, new Placement(2, 2, 2, 1));
    sweepFirstToTheEndAndSecondOneSlice(first, second, group0, group1);
    TwoSubtasks swept =
        new TwoSubtasks(
            joins(first),
            second.extractOutputValues(),
            group1,
            AbstractStreamOperatorTestHarness.repackageState(
                first.snapshot(1, FLUSH_MS * 100), second.snapshot(1, FLUSH_MS * 100)));
    first.close();
    second.close();
    return swept;
  }

  /**
   * Items in each subtask's key group; v1 (shift 1); the first sweeps to its end, the second one
   * slice (ranked, nothing moved). Outputs cleared before v1.
   */
  private static void sweepFirstToTheEndAndSecondOneSlice(
      KeyedTwoInputStreamOperatorTestHarness<String, ItemFeature, ModelUpdate, BucketChange> first,
      KeyedTwoInputStreamOperatorTestHarness<String, ItemFeature, ModelUpdate, BucketChange> second,
      List<String> group0,
      List<String> group1)
      throws Exception {
    for (int i = 0; i < group0.size(); i++) {
      first.processElement1(new StreamRecord<>(item(group0.get(i), 0.1f * i, 0.2f, 0.3f, 0.5f)));
      second.processElement1(new StreamRecord<>(item(group1.get(i), 0.1f * i, 0.2f, 0.3f, 0.5f)));
    }
    for (int i = 0; i < 50; i++) {
      first.setProcessingTime(FLUSH_MS * i);
      second.setProcessingTime(FLUSH_MS * i);
    }
    first.getOutput().clear();
    second.getOutput().clear();
    first.processElement2(new StreamRecord<>(GridTokenizer.update(1, 1, 5_000)));
    second.processElement2(new StreamRecord<>(GridTokenizer.update(1, 1, 5_000)));
    for (int i = 50; i < 100; i++) {
      first.setProcessingTime(FLUSH_MS * i);
    }
    second.setProcessingTime(FLUSH_MS * 50 + 1);
  }

  private static List<String> joins(
      KeyedTwoInputStreamOperatorTestHarness<String, ItemFeature, ModelUpdate, BucketChange> h) {
    return h.extractOutputValues().stream()
        .filter(c -> c.kind == BucketChange.Kind.JOIN)
        .map(c -> c.itemId)
        .toList();
  }

  /** Items moved and caps applied, summed over {@code h}'s migration reports. */
  private static List<Long> movesAndCaps(
      KeyedTwoInputStreamOperatorTestHarness<String, ItemFeature, ModelUpdate, BucketChange> h) {
    var reports = h.getSideOutput(SidAssigner.MIGRATIONS);
    List<MigrationPart> parts =
        reports == null ? List.of() : reports.stream().map(StreamRecord::getValue).toList();
    return List.of(
        parts.stream().mapToLong(r -> r.moved).sum(),
        parts.stream().mapToLong(r -> r.moveCap).sum());
  }

  private ItemState stateOf(String itemId) throws Exception {
    return state(harness, itemId, SidAssigner.ITEM).value();
  }

  private static List<String> idsInKeyGroup(int keyGroup, int maxParallelism, int count) {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; ids.size() < count; i++) {
      String id = "item-" + i;
      if (KeyGroupRangeAssignment.assignToKeyGroup(id, maxParallelism) == keyGroup) {
        ids.add(id);
      }
    }
    return ids;
  }

  @Test
  void keepPolicyAppliesANewVersionToNewAndChangedItemsOnlyWithoutASweep() throws Exception {
    harness.close();
    harness = open(ChurnPolicy.keep(), 2, 2, null);
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));
    send(item("b", 0.1f, 0.2f, 0.3f, 0.5f));
    settle();
    harness.getOutput().clear();

    send(GridTokenizer.update(1, 1, 5_000));
    settle();
    assertThat(harness.extractOutputValues()).as("no known item moves").isEmpty();
    assertThat(harness.numProcessingTimeTimers()).as("no sweep scheduled").isZero();
    assertThat(state(harness, "a", SidAssigner.ITEM).value().codes.modelVersion).isZero();

    send(item("c", 0.1f, 0.2f, 0.3f, 0.5f));
    send(ItemFeature.upsert("b", new float[] {0.1f, 0.2f, 0.35f, 0.5f}, null, 2_000));
    send(ItemFeature.upsert("a", new float[] {0.1f, 0.2f, 0.3f, 0.5f}, null, 2_000));
    settle();
    assertThat(harness.extractOutputValues())
        .as("the new item and the changed one are encoded by v1; a's re-publish changes nothing")
        .filteredOn(c -> c.kind == BucketChange.Kind.JOIN)
        .extracting(c -> c.itemId + "@v" + c.modelVersion)
        .containsExactlyInAnyOrder("b@v1", "c@v1");
    assertThat(state(harness, "a", SidAssigner.ITEM).value().codes.modelVersion).isZero();
    assertThat(state(harness, "a", SidAssigner.ITEM).value().newestEventTime).isEqualTo(2_000L);
  }

  @Test
  void restoredOperatorUsesTheLiveModelFromBroadcastState() throws Exception {
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));
    send(GridTokenizer.update(3, 2, 5_000));
    settle();
    OperatorSubtaskState snapshot = harness.snapshot(1, 6_000);
    harness.close();

    harness = open(ChurnPolicy.always(), 2, 2, snapshot);
    send(item("b", 0.1f, 0.2f, 0.3f, 0.5f));

    settle();
    assertThat(harness.extractOutputValues())
        .containsExactly(BucketChange.join("b", new int[] {3, 4, 5}, 1, 3, 1_000));
    assertThat(state(harness, "a", SidAssigner.ITEM).value().codes.codes).containsExactly(3, 4, 5);
    assertThat(state(harness, "a", SidAssigner.ITEM).value().revision).isEqualTo(2L);
  }

  @Test
  void recordsOlderThanTheNewestEventOfTheirItemAreDroppedDeletesIncluded() throws Exception {
    send(ItemFeature.upsert("a", new float[] {0.1f, 0.2f, 0.3f, 0.5f}, null, 1_000));
    send(ItemFeature.delete("a", 3_000));
    // An upsert from before the delete arrives late: it must not bring "a" back.
    send(ItemFeature.upsert("a", new float[] {0.4f, 0.2f, 0.3f, 0.5f}, null, 2_000));
    // A re-add after the delete is applied.
    send(ItemFeature.upsert("a", new float[] {0.5f, 0.2f, 0.3f, 0.5f}, null, 4_000));
    // An old upsert after that is dropped too, and an update at the same time is applied.
    send(ItemFeature.upsert("a", new float[] {0.9f, 0.2f, 0.3f, 0.5f}, null, 3_500));
    send(ItemFeature.upsert("a", new float[] {0.6f, 0.2f, 0.3f, 0.5f}, null, 4_000));

    settle();
    assertThat(harness.extractOutputValues())
        .containsExactly(
            BucketChange.join("a", new int[] {1, 2, 3}, 1, 0, 1_000),
            BucketChange.leave("a", new int[] {1, 2, 3}, 2, 0, true, 3_000),
            BucketChange.join("a", new int[] {5, 2, 3}, 3, 0, 4_000),
            BucketChange.leave("a", new int[] {5, 2, 3}, 4, 0, false, 4_000),
            BucketChange.join("a", new int[] {6, 2, 3}, 4, 0, 4_000));
    assertThat(state(harness, "a", SidAssigner.ITEM).value().newestEventTime).isEqualTo(4_000L);
    assertThat(state(harness, "a", SidAssigner.ITEM).value().codes.codes).containsExactly(6, 2, 3);
  }

  @Test
  void newItemsAreEncodedInBatchesFlushedBySizeAndByTimer() throws Exception {
    harness.close();
    harness = open(ChurnPolicy.always(), 3, 2, null);
    GridTokenizer.ENCODE_CALLS.set(0);
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));
    send(item("b", 0.4f, 0.5f, 0.6f, 0.5f));
    assertThat(harness.extractOutputValues()).as("buffered").isEmpty();
    assertThat(state(harness, "a", SidAssigner.ITEM).value())
        .as("state is written when the batch is applied")
        .isNull();

    send(item("c", 0.7f, 0.8f, 0.9f, 0.5f));
    assertThat(harness.extractOutputValues())
        .as("the third item fills the batch")
        .extracting(c -> c.itemId)
        .containsExactly("a", "b", "c");
    assertThat(encodeCalls()).isEqualTo(1);

    harness.getOutput().clear();
    send(item("d", 0.1f, 0.1f, 0.1f, 0.5f));
    harness.setProcessingTime(now + FLUSH_MS - 1);
    assertThat(harness.extractOutputValues()).isEmpty();
    harness.setProcessingTime(now + FLUSH_MS);
    assertThat(harness.extractOutputValues())
        .as("the flush timer empties a partial batch")
        .containsExactly(BucketChange.join("d", new int[] {1, 1, 1}, 1, 0, 1_000));
    assertThat(encodeCalls()).isEqualTo(2);
  }

  @Test
  void aCheckpointFlushesTheBufferBeforeItsBarrierAndRestoresWithoutLosingIt() throws Exception {
    harness.close();
    harness = open(ChurnPolicy.always(), 100, 2, null);
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));
    send(item("b", 0.4f, 0.5f, 0.6f, 0.5f));
    assertThat(harness.extractOutputValues()).isEmpty();

    // The runtime's order: operators flush before the barrier goes out, then state is snapshot.
    harness.prepareSnapshotPreBarrier(1);
    OperatorSubtaskState snapshot = harness.snapshot(1, 0);
    assertThat(harness.extractOutputValues())
        .as("emitted before the barrier, so inside checkpoint 1")
        .extracting(c -> c.itemId)
        .containsExactly("a", "b");
    harness.close();

    harness = open(ChurnPolicy.always(), 100, 2, snapshot);
    assertThat(state(harness, "a", SidAssigner.ITEM).value().codes.codes).containsExactly(1, 2, 3);
    assertThat(state(harness, "b", SidAssigner.ITEM).value().codes.codes).containsExactly(4, 5, 6);
    send(item("a", 0.5f, 0.2f, 0.3f, 0.5f));
    settle();
    assertThat(harness.extractOutputValues())
        .containsExactly(
            BucketChange.leave("a", new int[] {1, 2, 3}, 2, 0, false, 1_000),
            BucketChange.join("a", new int[] {5, 2, 3}, 2, 0, 1_000));
  }

  @Test
  void aNewVersionIsAppliedInSlicesWhileNewItemsGetItAtOnce() throws Exception {
    sendItemsAndSettle(6);
    harness.getOutput().clear();

    send(GridTokenizer.update(1, 1, 5_000));
    assertThat(harness.extractOutputValues()).as("nothing before the first slice").isEmpty();
    now += 1;
    harness.setProcessingTime(now);
    assertThat(harness.extractOutputValues()).as("one slice of 2 items").hasSize(4);

    // A new item arriving mid-sweep is encoded with the new version straight away.
    send(item("new", 0.1f, 0.1f, 0.1f, 0.5f));
    now += FLUSH_MS;
    harness.setProcessingTime(now);
    assertThat(harness.extractOutputValues())
        .filteredOn(c -> c.itemId.equals("new"))
        .containsExactly(BucketChange.join("new", new int[] {2, 2, 2}, 1, 1, 1_000));

    settle();
    List<BucketChange> all = harness.extractOutputValues();
    assertThat(all.stream().filter(c -> c.kind == BucketChange.Kind.JOIN).map(c -> c.itemId))
        .containsExactlyInAnyOrder("i0", "i1", "i2", "i3", "i4", "i5", "new");
    for (int i = 0; i < 6; i++) {
      assertThat(state(harness, "i" + i, SidAssigner.ITEM).value().codes.modelVersion).isEqualTo(1);
    }
  }

  @Test
  void aSweepInterruptedByACheckpointResumesAfterTheRestoreAndFinishesOnce() throws Exception {
    sendItemsAndSettle(7);
    harness.getOutput().clear();
    send(GridTokenizer.update(1, 1, 5_000));
    now += 1;
    harness.setProcessingTime(now); // first slice only
    List<BucketChange> before = List.copyOf(harness.extractOutputValues());
    assertThat(before).hasSize(4);
    OperatorSubtaskState snapshot = harness.snapshot(1, now);
    harness.close();

    harness = open(ChurnPolicy.always(), 2, 2, snapshot);
    settle();
    List<BucketChange> after = harness.extractOutputValues();
    assertThat(after.stream().filter(c -> c.kind == BucketChange.Kind.JOIN)).hasSize(5);
    assertThat(
            java.util.stream.Stream.concat(before.stream(), after.stream())
                .filter(c -> c.kind == BucketChange.Kind.JOIN)
                .map(c -> c.itemId))
        .as("every item moved exactly once")
        .containsExactlyInAnyOrder("i0", "i1", "i2", "i3", "i4", "i5", "i6");
    assertThat(
            harness
                .getOperator()
                .getOperatorStateBackend()
                .getBroadcastState(SidAssigner.LIVE_MODEL)
                .get(SidAssigner.LIVE_KEY)
                .version)
        .isEqualTo(1);
  }

  private List<MigrationPart> migrationReports() {
    var reports = harness.getSideOutput(SidAssigner.MIGRATIONS);
    return reports == null ? List.of() : reports.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void aSweepReportsItsCountsBeforeEachBarrierAndWhenItEnds() throws Exception {
    sendItemsAndSettle(7);
    assertThat(migrationReports()).as("new items are no migration").isEmpty();
    send(GridTokenizer.update(1, 1, 5_000));
    now += 1;
    harness.setProcessingTime(now); // first slice: 2 items
    harness.prepareSnapshotPreBarrier(1);
    settle();

    assertThat(migrationReports())
        .extracting(r -> r.kind + " v" + r.modelVersion + " " + r.reEncoded + "/" + r.moved)
        .containsExactly("PROGRESS v1 2/2", "SWEPT v1 5/5");
    MigrationPart end = migrationReports().get(1);
    assertThat(end.firstKeyGroup).isZero();
    assertThat(end.lastKeyGroup).isEqualTo(end.maxParallelism - 1);
    assertThat(end.wentLiveAt).isEqualTo(5_000);
    assertThat(end.churnPolicy).isEqualTo("ALWAYS");
  }

  @Test
  void aVersionReplacedMidSweepIsReportedSupersededAndAKeepPolicyVersionNotSwept()
      throws Exception {
    sendItemsAndSettle(6);
    send(GridTokenizer.update(1, 1, 5_000));
    now += 1;
    harness.setProcessingTime(now); // first slice of v1 only
    send(GridTokenizer.update(2, 2, 6_000));
    settle();
    assertThat(migrationReports())
        .extracting(r -> r.kind + " v" + r.modelVersion + " " + r.reEncoded)
        .containsExactly("SUPERSEDED v1 2", "SWEPT v2 6");

    harness.close();
    harness = open(ChurnPolicy.keep(), 2, 2, null);
    send(item("a", 0.1f, 0.2f, 0.3f, 0.5f));
    settle();
    send(GridTokenizer.update(1, 1, 5_000));
    assertThat(migrationReports())
        .extracting(r -> r.kind + " v" + r.modelVersion + " " + r.reEncoded)
        .containsExactly("NOT_SWEPT v1 0");
  }

  private static long encodeCalls() {
    return GridTokenizer.ENCODE_CALLS.get();
  }

  private long sweptJoins() {
    return harness.extractOutputValues().stream()
        .filter(c -> c.kind == BucketChange.Kind.JOIN && c.itemId.startsWith("i"))
        .count();
  }

  @Test
  void aSweepOverAQuietInputDoesNotWaitBetweenSlices() throws Exception {
    sendItemsAndSettle(6);
    harness.getOutput().clear();
    GridTokenizer.encodeSleepMillis = 40;
    try {
      send(GridTokenizer.update(1, 1, 5_000));
      now += 1;
      harness.setProcessingTime(now); // first slice: one encode call, >= 40 ms of wall time
      assertThat(sweptJoins()).isEqualTo(2);
      // No record came: the next slice is due 1 ms later, not after the 40 ms share 0.5 allows.
      now += 1;
      harness.setProcessingTime(now);
      assertThat(sweptJoins()).isEqualTo(4);
    } finally {
      GridTokenizer.encodeSleepMillis = 0;
    }
  }

  @Test
  void aSweepLeavesWaitingRecordsTheirShareOfTheTask() throws Exception {
    sendItemsAndSettle(8);
    harness.getOutput().clear();
    GridTokenizer.encodeSleepMillis = 40;
    try {
      send(GridTokenizer.update(1, 1, 5_000));
      now += 1;
      harness.setProcessingTime(now); // first slice
      // Records during the pause that keep the task busy for >= 40 ms (one encode batch).
      send(item("n0", 0.1f, 0.1f, 0.1f, 0.5f));
      send(item("n1", 0.2f, 0.1f, 0.1f, 0.5f));
      now += 1;
      harness.setProcessingTime(now); // second slice: the input was busy, so the pause grows
      assertThat(sweptJoins()).isEqualTo(4);
      // At share 0.5 the next slice may wait as long as this one took (>= 40 ms): not 30 ms later.
      now += 30;
      harness.setProcessingTime(now);
      assertThat(sweptJoins()).as("records get their turn").isEqualTo(4);
      now += 100;
      harness.setProcessingTime(now);
      assertThat(sweptJoins()).isEqualTo(6);
    } finally {
      GridTokenizer.encodeSleepMillis = 0;
    }
  }
}
