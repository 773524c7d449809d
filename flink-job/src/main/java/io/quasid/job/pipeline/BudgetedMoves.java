package io.quasid.job.pipeline;

import java.util.List;
import org.apache.flink.runtime.state.KeyGroupRange;

/**
 * Under a {@code BUDGET} churn policy, the ranking of one sweep's movers: every item whose codes
 * changed is offered to {@link MoveCandidates} with its gain, and only the best move once the whole
 * sweep is ranked; the others keep their codes.
 */
final class BudgetedMoves {

  /**
   * An item of the slice whose codes would change, with its state, the codes it would take, and how
   * well its held codes fit in the new version's space.
   */
  record Changed(String itemId, ItemState state, ItemCodes next, float heldResidualNorm) {}

  private final ChurnPolicy churnPolicy;
  private final MoveCandidates candidates;
  private long changed;

  private BudgetedMoves(ChurnPolicy churnPolicy, MoveCandidates candidates) {
    this.churnPolicy = churnPolicy;
    this.candidates = candidates;
  }

  /** A fresh ranking for a sweep on the subtask owning {@code keyGroups}; null without a budget. */
  static BudgetedMoves forSweep(
      ChurnPolicy churnPolicy, KeyGroupRange keyGroups, int maxParallelism) {
    return churnPolicy.mode() == ChurnPolicy.Mode.BUDGET
        ? new BudgetedMoves(
            churnPolicy,
            new MoveCandidates(
                MoveCandidates.capFor(churnPolicy.budget(), keyGroups, maxParallelism)))
        : null;
  }

  /** An item this version moved before a restore: it takes one of the cap's places. */
  void countAlreadyMoved() {
    candidates.countAlreadyMoved();
  }

  /**
   * Offers the {@code changed} items as movers, their gain measured in the new version's space:
   * held codes against new ones.
   */
  void offer(List<Changed> changed) {
    for (Changed c : changed) {
      this.changed++;
      double gain = churnPolicy.gain(c.heldResidualNorm(), c.next().residualNorm);
      if (!Double.isNaN(gain)) {
        candidates.offer(new MoveCandidates.Candidate(c.itemId(), c.next(), gain));
      }
    }
  }

  /** The best candidates, at most the cap less what moved before a restore. */
  List<MoveCandidates.Candidate> toMove() {
    return candidates.toMove();
  }

  /** Items whose codes changed in this sweep: those that do not move are kept by the policy. */
  long changed() {
    return changed;
  }

  long offered() {
    return candidates.offered();
  }

  long cap() {
    return candidates.cap();
  }
}
