package io.quasid.job.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.runtime.state.KeyGroupRange;

/**
 * The known items one assigner subtask may move for a model version under {@code BUDGET}: the best
 * candidates by gain seen by the sweep, at most the subtask's cap. The cap is the subtask's share
 * of the job-wide budget by key groups (rounded down), so the caps of all subtasks sum to at most
 * the budget whatever the parallelism. Nothing here is checkpointed: after a restore the sweep
 * ranks again from the start, deterministically, and counts the items that already moved at this
 * version ({@link ItemState#budgetedMoveVersion}) against the cap before moving any more. Public
 * for the catalogue-growth benchmark, which ranks its arm's moves with it.
 */
public final class MoveCandidates {

  /** One item that would move, with the codes it would take and how much it would gain. */
  public record Candidate(String itemId, ItemCodes next, double gain) {}

  private static final Comparator<Candidate> BEST_FIRST =
      Comparator.comparingDouble(Candidate::gain).reversed().thenComparing(Candidate::itemId);

  private final long cap;
  private final TreeSet<Candidate> best = new TreeSet<>(BEST_FIRST);
  private long alreadyMoved;
  private long offered;

  public MoveCandidates(long cap) {
    this.cap = cap;
  }

  /** The share of {@code budget} that the subtask owning {@code range} may move. */
  static long capFor(long budget, KeyGroupRange range, int maxParallelism) {
    return (long) Math.floor((double) budget * range.getNumberOfKeyGroups() / maxParallelism);
  }

  /** An item moved at this version before a restore: it takes one of the cap's places. */
  void countAlreadyMoved() {
    alreadyMoved++;
  }

  /** Offers a candidate; only the best {@code cap} are kept. */
  public void offer(Candidate candidate) {
    offered++;
    best.add(candidate);
    if (best.size() > cap) {
      best.pollLast();
    }
  }

  /** The candidates that may move now, best first: the cap less what already moved. */
  public List<Candidate> toMove() {
    List<Candidate> moves = new ArrayList<>();
    long room = Math.max(0, cap - alreadyMoved);
    for (Candidate c : best) {
      if (moves.size() >= room) {
        break;
      }
      moves.add(c);
    }
    return moves;
  }

  /** Candidates offered in this pass (each one an item whose codes would change by the margin). */
  long offered() {
    return offered;
  }

  long cap() {
    return cap;
  }
}
