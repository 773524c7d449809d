package io.quasid.job.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The known items one assigner subtask may move for a model version under {@code BUDGET}: the best
 * candidates by gain seen by the sweep, at most the subtask's cap ({@link ChurnPolicy#budgetCap}).
 * Under {@code BUDGET:n} the cap is known before the sweep and only the best {@code cap} candidates
 * are kept; under {@code BUDGET:p%} it is only known once the sweep has counted the known items, so
 * every candidate is kept until then (one small entry per item whose codes would change). Nothing
 * here is checkpointed: after a restore the sweep ranks again, deterministically, the key groups
 * whose sweep had not ended ({@link CatalogueSweep}), and counts any item that already moved at
 * this version there ({@link ItemState#budgetedMoveVersion}) against the cap before moving more.
 * Public for the catalogue-growth benchmark, which ranks its arm's moves with it.
 */
public final class MoveCandidates {

  /** One item that would move, with the codes it would take and how much it would gain. */
  public record Candidate(String itemId, ItemCodes next, double gain) {}

  private static final Comparator<Candidate> BEST_FIRST =
      Comparator.comparingDouble(Candidate::gain).reversed().thenComparing(Candidate::itemId);

  private final long kept;
  private final TreeSet<Candidate> best = new TreeSet<>(BEST_FIRST);
  private long alreadyMoved;
  private long offered;

  /**
   * @param kept the most candidates worth keeping: the cap when it is known before the ranking,
   *     else {@link Long#MAX_VALUE}
   */
  public MoveCandidates(long kept) {
    this.kept = kept;
  }

  /** An item moved at this version before a restore: it takes one of the cap's places. */
  void countAlreadyMoved() {
    alreadyMoved++;
  }

  /** Offers a candidate; only the best {@code kept} are kept. */
  public void offer(Candidate candidate) {
    offered++;
    best.add(candidate);
    if (best.size() > kept) {
      best.pollLast();
    }
  }

  /** The candidates that may move now, best first: {@code cap} less what already moved. */
  public List<Candidate> toMove(long cap) {
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

  /** Items this version moved before a restore, counted in this pass. */
  long alreadyMoved() {
    return alreadyMoved;
  }
}
