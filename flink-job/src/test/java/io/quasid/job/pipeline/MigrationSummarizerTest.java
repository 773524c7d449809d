package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.schemas.MigrationOutcome;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigrationSummarizerTest {

  private static final int MAX_PARALLELISM = 128;

  private OneInputStreamOperatorTestHarness<MigrationPart, MigrationTotals> harness;

  @BeforeEach
  void open() throws Exception {
    harness = open(null);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static OneInputStreamOperatorTestHarness<MigrationPart, MigrationTotals> open(
      OperatorSubtaskState restoreFrom) throws Exception {
    var h =
        new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new MigrationSummarizer()));
    if (restoreFrom != null) {
      h.initializeState(restoreFrom);
    }
    h.open();
    return h;
  }

  /** A report of subtask {@code index} of {@code parallelism}, with the job's key-group ranges. */
  private static MigrationPart part(
      long version,
      MigrationPart.Kind kind,
      int index,
      int parallelism,
      long reEncoded,
      long moved,
      long kept) {
    return part(version, kind, index, parallelism, reEncoded, moved, kept, "ALWAYS", 0);
  }

  private static MigrationPart part(
      long version,
      MigrationPart.Kind kind,
      int index,
      int parallelism,
      long reEncoded,
      long moved,
      long kept,
      String churnPolicy,
      long moveCap) {
    var range =
        org.apache.flink.runtime.state.KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
            MAX_PARALLELISM, parallelism, index);
    return new MigrationPart(
        version,
        kind,
        range.getStartKeyGroup(),
        range.getEndKeyGroup(),
        MAX_PARALLELISM,
        reEncoded,
        moved,
        kept,
        churnPolicy,
        5_000,
        moveCap);
  }

  private void send(MigrationPart p) throws Exception {
    harness.processElement(new StreamRecord<>(p));
  }

  private List<MigrationTotals> summaries() {
    return harness.extractOutputValues();
  }

  @Test
  void aVersionIsSummarisedOnceWhenEverySubtaskHasSweptItsKeyGroups() throws Exception {
    send(part(1, MigrationPart.Kind.PROGRESS, 0, 2, 100, 90, 1));
    send(part(1, MigrationPart.Kind.SWEPT, 0, 2, 20, 10, 0));
    assertThat(summaries()).as("subtask 1 has not finished").isEmpty();

    send(part(1, MigrationPart.Kind.SWEPT, 1, 2, 50, 40, 2));

    assertThat(summaries()).hasSize(1);
    MigrationTotals v1 = summaries().get(0);
    assertThat(v1.modelVersion).isEqualTo(1);
    assertThat(v1.outcome).isEqualTo(MigrationOutcome.COMPLETED);
    assertThat(v1.reEncoded).isEqualTo(170);
    assertThat(v1.moved).isEqualTo(140);
    assertThat(v1.keptByPolicy).isEqualTo(3);
    assertThat(v1.churnPolicy).isEqualTo("ALWAYS");
    assertThat(v1.wentLiveAt).isEqualTo(5_000);

    send(part(1, MigrationPart.Kind.SWEPT, 1, 2, 0, 0, 0));
    assertThat(summaries()).as("a report after the summary changes nothing").hasSize(1);
  }

  @Test
  void completionIsCountedInKeyGroupsSoARestoreAtAnotherParallelismNeitherEndsItEarlyNorLate()
      throws Exception {
    // Parallelism 2: subtask 0 (key groups 0-63) finishes, subtask 1 reports progress only.
    send(part(1, MigrationPart.Kind.SWEPT, 0, 2, 64, 60, 0));
    send(part(1, MigrationPart.Kind.PROGRESS, 1, 2, 10, 9, 0));
    OperatorSubtaskState checkpoint = harness.snapshot(1, 0);
    harness.close();

    // Restored at parallelism 3, every subtask resumes the sweep and reports its own range.
    harness = open(checkpoint);
    send(part(1, MigrationPart.Kind.SWEPT, 0, 3, 0, 0, 0));
    send(part(1, MigrationPart.Kind.SWEPT, 1, 3, 12, 11, 0));
    assertThat(summaries()).as("key groups 86-127 are not swept yet").isEmpty();
    send(part(1, MigrationPart.Kind.SWEPT, 2, 3, 30, 25, 0));

    assertThat(summaries())
        .singleElement()
        .satisfies(
            v1 -> {
              assertThat(v1.outcome).isEqualTo(MigrationOutcome.COMPLETED);
              assertThat(v1.reEncoded).isEqualTo(64 + 10 + 12 + 30);
              assertThat(v1.moved).isEqualTo(60 + 9 + 11 + 25);
            });
  }

  @Test
  void aVersionReplacedMidSweepIsSummarisedAsSupersededBeforeTheNextOne() throws Exception {
    send(part(1, MigrationPart.Kind.PROGRESS, 0, 2, 5, 5, 0));
    send(part(1, MigrationPart.Kind.SUPERSEDED, 1, 2, 3, 3, 0));
    // Subtask 0's sweep of v1 was dropped by a restore: it never reports v1's end.
    send(part(2, MigrationPart.Kind.SWEPT, 0, 2, 40, 30, 0));
    send(part(2, MigrationPart.Kind.SWEPT, 1, 2, 60, 50, 0));

    assertThat(summaries())
        .extracting(t -> "v" + t.modelVersion + " " + t.outcome + " " + t.reEncoded)
        .containsExactly("v1 SUPERSEDED 8", "v2 COMPLETED 100");

    send(part(1, MigrationPart.Kind.SWEPT, 0, 2, 7, 7, 0));
    assertThat(summaries()).as("a late report of v1 is ignored").hasSize(2);
  }

  @Test
  void aSubtaskThatReportsSupersededMakesTheVersionSuperseded() throws Exception {
    send(part(3, MigrationPart.Kind.SWEPT, 0, 2, 5, 5, 0));
    send(part(3, MigrationPart.Kind.SUPERSEDED, 1, 2, 1, 1, 0));

    assertThat(summaries())
        .singleElement()
        .extracting(t -> t.outcome)
        .isEqualTo(MigrationOutcome.SUPERSEDED);
  }

  @Test
  void underABudgetTheSummaryCarriesTheSumOfTheCapsTheSubtasksApplied() throws Exception {
    String policy = "BUDGET:10%:0.0";
    send(part(1, MigrationPart.Kind.PROGRESS, 0, 2, 400, 0, 0, policy, 0));
    send(part(1, MigrationPart.Kind.SWEPT, 0, 2, 100, 50, 350, policy, 50));
    send(part(1, MigrationPart.Kind.SWEPT, 1, 2, 480, 48, 400, policy, 48));
    send(part(2, MigrationPart.Kind.SWEPT, 0, 1, 10, 10, 0, "ALWAYS", 0));

    assertThat(summaries()).hasSize(2);
    MigrationTotals budgeted = summaries().get(0);
    assertThat(budgeted.moved).isEqualTo(98);
    assertThat(budgeted.moveCap).isEqualTo(98);
    assertThat(budgeted.toString()).endsWith("kept by BUDGET:10%:0.0 (cap 98)");
    assertThat(summaries().get(1).moveCap).as("no cap under ALWAYS").isEqualTo(-1);
  }

  @Test
  void underTheKeepPolicyAVersionIsSummarisedAsNotSwept() throws Exception {
    send(part(2, MigrationPart.Kind.NOT_SWEPT, 0, 2, 0, 0, 0));
    send(part(2, MigrationPart.Kind.NOT_SWEPT, 1, 2, 0, 0, 0));

    assertThat(summaries())
        .singleElement()
        .extracting(t -> t.outcome)
        .isEqualTo(MigrationOutcome.NOT_SWEPT);
  }
}
