package io.quasid.job.pipeline;

import java.util.List;

/**
 * Under a {@code BUDGET} churn policy, the ranking of one sweep's movers: every item whose codes
 * changed is offered to {@link MoveCandidates} with its gain, every known item the sweep visits is
 * counted, and only the best move once the whole sweep is ranked, at most the subtask's cap ({@link
 * ChurnPolicy#budgetCap}); the others keep their codes.
 *
 * <p>The counts are those of one pass over the subtask's keys: when the key iterator starts over
 * (heap state backends, when new keys invalidate it) {@link #newPass} drops them and the pass
 * counts every item again, so no item is counted twice in the cap under {@code BUDGET:p%}.
 */
final class BudgetedMoves {

  /**
   * An item of the slice whose codes would change, with its state, the codes it would take, and how
   * well its held codes fit in the new version's space.
   */
  record Changed(String itemId, ItemState state, ItemCodes next, float heldResidualNorm) {}

  private final ChurnPolicy churnPolicy;
  private final int keyGroups;
  private final int maxParallelism;
  private MoveCandidates candidates;
  private long changed;
  private long known;

  private BudgetedMoves(ChurnPolicy churnPolicy, int keyGroups, int maxParallelism) {
    this.churnPolicy = churnPolicy;
    this.keyGroups = keyGroups;
    this.maxParallelism = maxParallelism;
    newPass();
  }

  /**
   * A fresh ranking for a sweep over {@code keyGroups} key groups of {@code maxParallelism} (under
   * {@code BUDGET:n} the cap is their share of n); null without a budget.
   */
  static BudgetedMoves forSweep(ChurnPolicy churnPolicy, int keyGroups, int maxParallelism) {
    return churnPolicy.mode() == ChurnPolicy.Mode.BUDGET
        ? new BudgetedMoves(churnPolicy, keyGroups, maxParallelism)
        : null;
  }

  /** The sweep's key iterator starts (again) from the first key: the ranking starts over. */
  void newPass() {
    candidates =
        new MoveCandidates(
            churnPolicy.budgetIsShare()
                ? Long.MAX_VALUE
                : churnPolicy.budgetCap(0, keyGroups, maxParallelism));
    changed = 0;
    known = 0;
  }

  /**
   * Counts an item the sweep of {@code version} visits: if live and holding codes, whatever their
   * version, it is one of the known items the cap is of, and if this version moved it before a
   * restore, it takes one of the cap's places.
   */
  void visit(ItemState state, long version) {
    if (state.live() && state.codes != null) {
      known++;
    }
    if (state.budgetedMoveVersion == version) {
      candidates.countAlreadyMoved();
    }
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
    return candidates.toMove(cap());
  }

  /** Items whose codes changed in this pass: those that do not move are kept by the policy. */
  long changed() {
    return changed;
  }

  long offered() {
    return candidates.offered();
  }

  /** Known items this pass visited. */
  long known() {
    return known;
  }

  long alreadyMoved() {
    return candidates.alreadyMoved();
  }

  /** This subtask's cap for the version, from the known items counted so far under a share. */
  long cap() {
    return churnPolicy.budgetCap(known, keyGroups, maxParallelism);
  }
}
