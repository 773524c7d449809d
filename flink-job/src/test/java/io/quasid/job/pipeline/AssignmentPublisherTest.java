package io.quasid.job.pipeline;

import static io.quasid.job.pipeline.StateProbe.state;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AssignmentPublisherTest {

  private KeyedBroadcastOperatorTestHarness<String, BucketAssignment, String, SidUpdate> harness;

  @BeforeEach
  void open() throws Exception {
    harness = open(null);
  }

  private static KeyedBroadcastOperatorTestHarness<String, BucketAssignment, String, SidUpdate>
      open(OperatorSubtaskState restoreFrom) throws Exception {
    var h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new AssignmentPublisher(), List.of(AssignmentPublisher.REPUBLISHED)),
            (BucketAssignment a) -> a.itemId,
            Types.STRING,
            1,
            1,
            0);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    if (restoreFrom != null) {
      h.initializeState(restoreFrom);
    }
    h.open();
    h.setProcessingTime(50);
    return h;
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void send(String item, int[] codes, int suffix, long rev) throws Exception {
    harness.processElement(new BucketAssignment(item, codes, suffix, rev, 7, false, 10), 10);
  }

  private void tombstone(String item, long rev) throws Exception {
    harness.processElement(new BucketAssignment(item, new int[] {1}, -1, rev, 7, true, 10), 10);
  }

  private List<String> published() {
    return harness.extractOutputValues().stream()
        .map(u -> u.tombstone ? u.itemId + " X" : u.itemId + " " + u.sid + " <- " + u.previousSid)
        .toList();
  }

  @Test
  void publishesInRevisionOrderWithPreviousSidAndDropsStaleDecisions() throws Exception {
    send("a", new int[] {1, 2}, 0, 1);
    // A -> B -> A: the return to A (rev 3) overtakes the visit to B (rev 2).
    send("a", new int[] {1, 2}, 1, 3);
    send("a", new int[] {5, 6}, 0, 2);

    assertThat(published()).containsExactly("a 1-2/0 <- null", "a 1-2/1 <- 1-2/0");
    SidUpdate last = state(harness, "a", AssignmentPublisher.LAST_PUBLISHED).value();
    assertThat(last.sid).isEqualTo("1-2/1");
    assertThat(last.revision).isEqualTo(3L);
    SidUpdate first = harness.extractOutputValues().get(0);
    assertThat(first.assignedTime).isEqualTo(50);
    assertThat(first.modelVersion).isEqualTo(7);
  }

  @Test
  void tombstoneClearsTheLiveSidAndFencesOffStaleAssignments() throws Exception {
    send("a", new int[] {1, 2}, 0, 1);
    tombstone("a", 3);
    send("a", new int[] {5, 6}, 0, 2);
    send("a", new int[] {5, 6}, 0, 4);

    assertThat(published()).containsExactly("a 1-2/0 <- null", "a X", "a 5-6/0 <- null");
    assertThat(state(harness, "a", AssignmentPublisher.LAST_PUBLISHED).value().revision)
        .isEqualTo(4L);
  }

  @Test
  void deletedItemKeepsOnlyItsTombstoneAsTheRevisionFence() throws Exception {
    send("a", new int[] {1, 2}, 0, 1);
    tombstone("a", 2);

    SidUpdate last = state(harness, "a", AssignmentPublisher.LAST_PUBLISHED).value();
    assertThat(last.tombstone).isTrue();
    assertThat(last.sid).isNull();
    assertThat(last.revision).isEqualTo(2L);
  }

  @Test
  void aNewRepublishTokenResendsEveryAssignmentAndTombstoneOnceAfterARestore() throws Exception {
    send("a", new int[] {1, 2}, 0, 1);
    send("b", new int[] {3, 4}, 0, 1);
    send("b", new int[] {3, 4}, 1, 2);
    send("c", new int[] {5, 6}, 0, 1);
    tombstone("c", 2);
    OperatorSubtaskState snapshot = harness.snapshot(1, 60);
    harness.close();

    harness = open(snapshot);
    harness.setProcessingTime(90);
    harness.processBroadcastElement("", 90);
    assertThat(harness.extractOutputValues()).as("no token, no republish").isEmpty();
    harness.processBroadcastElement("2026-12-01", 90);
    harness.processBroadcastElement("2026-12-01", 91);

    assertThat(harness.extractOutputValues())
        .extracting(u -> u.itemId + " " + u.sid + " r" + u.revision + " t" + u.assignedTime)
        .containsExactlyInAnyOrder("a 1-2/0 r1 t90", "b 3-4/1 r2 t90", "c null r2 t90");
    assertThat(harness.extractOutputValues())
        .filteredOn(u -> u.itemId.equals("c"))
        .singleElement()
        .satisfies(u -> assertThat(u.tombstone).as("a deleted item's tombstone, re-sent").isTrue());
    // Republishing changes no fence: the next real change still goes out.
    harness.getOutput().clear();
    send("a", new int[] {7, 8}, 0, 2);
    assertThat(published()).containsExactly("a 7-8/0 <- 1-2/0");
  }
}
