package io.quasid.bench.streaming;

import io.quasid.job.pipeline.ChurnPolicy;
import io.quasid.job.pipeline.ItemCodes;
import io.quasid.job.pipeline.MoveCandidates;
import io.quasid.model.Encoding;
import io.quasid.model.QuasidModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The codes the job's assigners hold under a churn policy: an item is encoded by the version live
 * when it arrives, and a later version moves it only if {@link ChurnPolicy#accept} says so (the
 * job's own decision, on the same residual norms). Under {@code ALWAYS} this is the live version's
 * encoding of every item; under {@code KEEP} each item keeps its arrival version's codes.
 */
final class AssignedCodes {

  /** How {@code BUDGET} ranks the items whose codes changed. */
  enum BudgetRank {
    /** By {@link ChurnPolicy#gain}, as the assigners rank them. */
    GAIN,
    /**
     * By engagements so far, the gain breaking ties: a test of whether the moves that matter to a
     * recommender are those of the items users engage with (not in the job).
     */
    ENGAGEMENTS
  }

  private final float[][] vectors;
  private final ChurnPolicy policy;
  private final ItemCodes[] held;
  private final BudgetRank rank;
  private int[] engagements;

  AssignedCodes(float[][] vectors, ChurnPolicy policy) {
    this(vectors, policy, BudgetRank.GAIN);
  }

  AssignedCodes(float[][] vectors, ChurnPolicy policy, BudgetRank rank) {
    this.vectors = vectors;
    this.policy = policy;
    this.held = new ItemCodes[vectors.length];
    this.rank = rank;
    this.engagements = new int[vectors.length];
  }

  /** Per item, its engagements in the stream so far: what {@link BudgetRank#ENGAGEMENTS} ranks. */
  void engagementsSoFar(int[] engagements) {
    this.engagements = engagements;
  }

  /** Encodes the arrived items that hold no codes yet with the live version. */
  void assignArrivals(QuasidModel live, boolean[] arrived) {
    boolean[] fresh = new boolean[arrived.length];
    for (int i = 0; i < arrived.length; i++) {
      fresh[i] = arrived[i] && held[i] == null;
    }
    int[] idx = GrowthMetrics.indices(fresh);
    Encoding e = encode(live, idx);
    for (int i = 0; i < idx.length; i++) {
      held[idx[i]] = new ItemCodes(e.codes()[i], e.residualNorms()[i], live.modelVersion());
    }
  }

  /**
   * A new version reaches the assigners: every held item is re-encoded and moves if the policy
   * accepts (the assigners skip that sweep under {@code KEEP}).
   *
   * @return share of the held items whose code tuple changed
   */
  double apply(QuasidModel next) {
    int[] idx = GrowthMetrics.indices(heldMask());
    if (idx.length == 0 || policy.keepsEveryItem()) {
      return 0;
    }
    Encoding e = encode(next, idx);
    if (policy.mode() == ChurnPolicy.Mode.BUDGET) {
      return (double) moveWithinBudget(next, idx, e) / idx.length;
    }
    int moved = 0;
    for (int i = 0; i < idx.length; i++) {
      ItemCodes old = held[idx[i]];
      ItemCodes fresh = new ItemCodes(e.codes()[i], e.residualNorms()[i], next.modelVersion());
      if (old.sameCodes(fresh)) {
        held[idx[i]] = fresh;
      } else if (policy.accept(old, fresh)) {
        held[idx[i]] = fresh;
        moved++;
      }
    }
    return (double) moved / idx.length;
  }

  /**
   * {@code BUDGET}, as the assigners apply it with one subtask: the changed items are ranked by
   * {@link ChurnPolicy#gain} in the new version's space, and at most the budget of them move (the
   * assigners' own {@link MoveCandidates}): n items, or p percent of the held items.
   */
  private int moveWithinBudget(QuasidModel next, int[] idx, Encoding e) {
    List<Integer> changed = new ArrayList<>();
    for (int i = 0; i < idx.length; i++) {
      ItemCodes fresh = new ItemCodes(e.codes()[i], e.residualNorms()[i], next.modelVersion());
      if (held[idx[i]].sameCodes(fresh)) {
        held[idx[i]] = fresh;
      } else {
        changed.add(i);
      }
    }
    if (changed.isEmpty()) {
      return 0;
    }
    float[][] x = new float[changed.size()][];
    int[][] heldCodes = new int[changed.size()][];
    for (int j = 0; j < changed.size(); j++) {
      x[j] = vectors[idx[changed.get(j)]];
      heldCodes[j] = held[idx[changed.get(j)]].codes;
    }
    float[] heldResiduals = next.residualNorms(x, heldCodes);
    // One subtask holding every key group; under a share the cap is of the held items.
    long cap = policy.budgetCap(idx.length, 1, 1);
    MoveCandidates moves = new MoveCandidates(cap);
    for (int j = 0; j < changed.size(); j++) {
      int i = changed.get(j);
      ItemCodes fresh = new ItemCodes(e.codes()[i], e.residualNorms()[i], next.modelVersion());
      double gain = policy.gain(heldResiduals[j], fresh.residualNorm);
      if (!Double.isNaN(gain)) {
        // A gain is at most 1: added to a count, it only breaks ties between equal counts.
        double score = rank == BudgetRank.ENGAGEMENTS ? engagements[idx[i]] + gain : gain;
        moves.offer(new MoveCandidates.Candidate(Integer.toString(i), fresh, score));
      }
    }
    int moved = 0;
    for (MoveCandidates.Candidate c : moves.toMove(cap)) {
      held[idx[Integer.parseInt(c.itemId())]] = c.next();
      moved++;
    }
    return moved;
  }

  /** Held codes of the {@code live} items (other rows null), as the measures take them. */
  int[][] codes(boolean[] live) {
    int[][] out = new int[held.length][];
    for (int i = 0; i < held.length; i++) {
      out[i] = live[i] && held[i] != null ? held[i].codes : null;
    }
    return out;
  }

  /** Held codes where an item has them, {@code model}'s for the rest (the recommender's input). */
  int[][] allCodes(QuasidModel model) {
    int[][] out = model.encode(vectors).codes();
    for (int i = 0; i < held.length; i++) {
      if (held[i] != null) {
        out[i] = held[i].codes;
      }
    }
    return out;
  }

  /** The items that hold codes. */
  boolean[] heldMask() {
    boolean[] mask = new boolean[held.length];
    for (int i = 0; i < held.length; i++) {
      mask[i] = held[i] != null;
    }
    return mask;
  }

  private Encoding encode(QuasidModel model, int[] idx) {
    float[][] x = new float[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      x[i] = vectors[idx[i]];
    }
    return idx.length == 0 ? new Encoding(new int[0][], new float[0]) : model.encode(x);
  }
}
