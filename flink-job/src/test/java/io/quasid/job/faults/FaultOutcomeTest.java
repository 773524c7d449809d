package io.quasid.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.SidAssignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fault suite's reading of aborted transactions, which decides a gap from a replay. */
class FaultOutcomeTest {

  private static SidAssignment assignment(String item, long revision, String sid, String previous) {
    return SidAssignment.newBuilder()
        .setItemId(item)
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

  private static CommittedLog.Entry committed(SidAssignment a, long offset) {
    return new CommittedLog.Entry(
        0, offset, a.getItemId(), AvroWire.SID_ASSIGNMENTS.encode(a), a.getRevision(), offset);
  }

  @Test
  void aSidTheItemHeldBeforeIsAbortedWhenItsRevisionIsOnlyInAnAbortedTransaction() {
    // 'a' moves s1 -> s2 (committed), back to s1 at r3 (aborted), then s3 at r4 (committed).
    SidAssignment r1 = assignment("a", 1, "s1", null);
    SidAssignment r2 = assignment("a", 2, "s2", "s1");
    SidAssignment r3 = assignment("a", 3, "s1", "s2");
    SidAssignment r4 = assignment("a", 4, "s3", "s1");
    List<Map.Entry<String, SidAssignment>> everything = new ArrayList<>();
    for (SidAssignment a : List.of(r1, r2, r3, r4)) {
      everything.add(Map.entry(a.getItemId(), a));
    }

    var aborted =
        FaultOutcome.abortedSids(
            everything, List.of(committed(r1, 0), committed(r2, 1), committed(r4, 2)));

    assertThat(aborted).containsExactly(FaultOutcome.itemSid("a", "s1"));
  }

  @Test
  void committedAssignmentsAreNotAborted() {
    SidAssignment r1 = assignment("a", 1, "s1", null);
    SidAssignment other = assignment("b", 1, "s1", null);

    var aborted =
        FaultOutcome.abortedSids(
            List.of(Map.entry("a", r1), Map.entry("b", other)),
            List.of(committed(r1, 0), committed(other, 1)));

    assertThat(aborted).isEmpty();
  }
}
