package io.quasid.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.SidAssignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's verdict on an item's chain of assignments when some revisions exist only in
 * aborted transactions: a lost revision is a gap, a replay is a duplicate.
 */
class FaultOutcomeTest {

  private static SidAssignment assignment(long revision, String sid, String previous) {
    return SidAssignment.newBuilder()
        .setItemId("a")
        .setCodes(List.of(1, 2))
        .setDedupSuffix(0)
        .setSid(sid)
        .setModelVersion(revision)
        .setPreviousSid(previous)
        .setCauseEventTime(Instant.EPOCH)
        .setAssignedTime(Instant.EPOCH)
        .setRevision(revision)
        .build();
  }

  private static List<CommittedLog.Entry> committed(SidAssignment... assignments) {
    List<CommittedLog.Entry> log = new ArrayList<>();
    for (SidAssignment a : assignments) {
      log.add(
          new CommittedLog.Entry(
              0, log.size(), "a", AvroWire.SID_ASSIGNMENTS.encode(a), a.getRevision(), 0));
    }
    return log;
  }

  /** Evaluates {@code committed} against all of {@code everything} on the topic. */
  private static FaultOutcome evaluate(
      List<CommittedLog.Entry> committed, SidAssignment... everything) {
    List<Map.Entry<String, SidAssignment>> all = new ArrayList<>();
    for (SidAssignment a : everything) {
      all.add(Map.entry("a", a));
    }
    Map<String, NavigableMap<Long, String>> aborted =
        FaultOutcome.abortedAssignments(all, committed);
    try (Traffic traffic =
        new Traffic(
            Map.of("bootstrap.servers", "localhost:1"),
            "items",
            "interactions",
            new InputOracle(2, 1024, 1000),
            0)) {
      return FaultOutcome.evaluate(
          "chain", committed, List.of(), List.of(), traffic, "RUNNING", -1, 0, 0, 0, false, -1,
          aborted, "");
    }
  }

  @Test
  void anItemMovedBackToASidItHeldAndAbortedThereHasAGapNotAChainBreak() {
    // s1 -> s2 (committed), back to s1 at r3 (aborted), then s3 at r4 (committed).
    SidAssignment r1 = assignment(1, "s1", null);
    SidAssignment r2 = assignment(2, "s2", "s1");
    SidAssignment r3 = assignment(3, "s1", "s2");
    SidAssignment r4 = assignment(4, "s3", "s1");

    FaultOutcome outcome = evaluate(committed(r1, r2, r4), r1, r2, r3, r4);

    assertThat(outcome.duplicates()).isZero();
    assertThat(outcome.note())
        .contains("1 assignments whose previous_sid is only in an aborted transaction")
        .contains("1 of them a SID the item had held before");
  }

  @Test
  void aReplayNamingASidAbortedAtAnotherRevisionIsAChainBreak() {
    // s1 -> s2 aborted at r2, s3 committed at r3 (a gap); then r4 names s2 again: a replay.
    SidAssignment r1 = assignment(1, "s1", null);
    SidAssignment r2 = assignment(2, "s2", "s1");
    SidAssignment r3 = assignment(3, "s3", "s2");
    SidAssignment r4 = assignment(4, "s4", "s2");

    FaultOutcome outcome = evaluate(committed(r1, r3, r4), r1, r2, r3, r4);

    assertThat(outcome.chainBreaks()).isEqualTo(1);
    assertThat(outcome.duplicates()).isEqualTo(1);
    assertThat(outcome.note()).contains("'a' r4 s4 (was s2) after s3, committed at r3");
  }

  @Test
  void anUnbrokenChainHasNeitherGapsNorBreaks() {
    SidAssignment r1 = assignment(1, "s1", null);
    SidAssignment r2 = assignment(2, "s2", "s1");

    FaultOutcome outcome = evaluate(committed(r1, r2), r1, r2);

    assertThat(outcome.duplicates()).isZero();
    assertThat(outcome.note()).doesNotContain("previous_sid").doesNotContain("chain breaks");
  }
}
