package io.quasid.job.pipeline;

import static io.quasid.job.pipeline.StateProbe.state;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AssignmentPublisherTest {

  private KeyedOneInputStreamOperatorTestHarness<String, BucketAssignment, SidUpdate> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new AssignmentPublisher()),
            (BucketAssignment a) -> a.itemId,
            Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    harness.open();
    harness.setProcessingTime(50);
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
    assertThat(state(harness, "a", AssignmentPublisher.LIVE_SID).value()).isEqualTo("1-2/1");
    assertThat(state(harness, "a", AssignmentPublisher.LAST_REVISION).value()).isEqualTo(3L);
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
    assertThat(state(harness, "a", AssignmentPublisher.LAST_REVISION).value()).isEqualTo(4L);
  }

  @Test
  void deletedItemKeepsOnlyItsRevisionFence() throws Exception {
    send("a", new int[] {1, 2}, 0, 1);
    tombstone("a", 2);

    assertThat(state(harness, "a", AssignmentPublisher.LIVE_SID).value()).isNull();
    assertThat(state(harness, "a", AssignmentPublisher.LAST_REVISION).value()).isEqualTo(2L);
    assertThat(StateProbe.keys(harness, AssignmentPublisher.LIVE_SID)).isZero();
  }
}
