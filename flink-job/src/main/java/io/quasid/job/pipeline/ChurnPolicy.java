package io.quasid.job.pipeline;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides, when a new model version re-encodes a known item, whether the item takes its new codes
 * or keeps its old ones. Feature changes of an item always re-encode it; this only limits the SID
 * churn that a model update alone causes.
 *
 * <ul>
 *   <li>{@code ALWAYS}: take the new codes.
 *   <li>{@code KEEP_UNLESS_BETTER:m}: take them only if the new residual norm is below {@code (1 -
 *       m)} times the residual norm recorded with the old codes (under the model that produced
 *       them; the two latent spaces differ, so this is a heuristic, not a proof).
 *   <li>{@code FREEZE_LEVELS:n}: the first n codes are frozen: take the new codes only if they
 *       agree with the old ones on the first n levels, else keep all old codes.
 *   <li>{@code KEEP_UNLESS_COARSE_MOVES:n}: the opposite of {@code FREEZE_LEVELS}: take the new
 *       codes only if they differ from the old ones on one of the first n levels; an item whose
 *       first n codes stay keeps its whole old tuple, fine levels too. This is DACT's
 *       "relaxed-to-strict" reassignment (arXiv 2603.29705): an item moves only when its coarse
 *       region changes, so the churn per version is the churn of the first n levels.
 *   <li>{@code BUDGET:n:m}: at most n known items move per version, job-wide: those whose new codes
 *       fit the item better than its held codes by the margin m (relative), both measured in the
 *       new version's space ({@link io.quasid.model.SidTokenizer#residualNorms}), best gain first.
 *       Each assigner subtask may move at most its key groups' share of n, so the cap holds by
 *       construction, across restores and rescaling (see {@link MoveCandidates}).
 *   <li>{@code BUDGET:p%:m}: the same, with the cap a share of the catalogue: each assigner subtask
 *       may move at most p percent of the known items its sweep visited (rounded down), so at most
 *       p percent of the known items move per version, job-wide, as the catalogue grows. Known
 *       items are the live items holding codes when the sweep passes them, those the version
 *       already re-encoded or moved included (see {@link #budgetCap}).
 *   <li>{@code KEEP}: a model version never moves a known item: it encodes new items and items
 *       whose features change, nothing else. The assigners skip the re-encoding sweep altogether.
 *       The catalogue then holds codes of several versions side by side (the catalogue-growth
 *       benchmark measures what that costs in collisions and coherence).
 * </ul>
 */
public final class ChurnPolicy implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The share form of a budget: a plain decimal number of percent. */
  private static final Pattern SHARE = Pattern.compile("[0-9]+(\\.[0-9]+)?%");

  /** The policy family. */
  public enum Mode {
    ALWAYS,
    KEEP_UNLESS_BETTER,
    FREEZE_LEVELS,
    KEEP_UNLESS_COARSE_MOVES,
    BUDGET,
    KEEP
  }

  private final Mode mode;
  private final double margin;

  /** The prefix length of {@code FREEZE_LEVELS} and {@code KEEP_UNLESS_COARSE_MOVES}. */
  private final int frozenLevels;

  private final long budget;

  /** Under {@code BUDGET:p%}: p, in (0, 100]; 0 when the budget is a number of items. */
  private final double budgetPercent;

  private ChurnPolicy(Mode mode, double margin, int frozenLevels) {
    this(mode, margin, frozenLevels, 0, 0);
  }

  private ChurnPolicy(
      Mode mode, double margin, int frozenLevels, long budget, double budgetPercent) {
    this.mode = mode;
    this.margin = margin;
    this.frozenLevels = frozenLevels;
    this.budget = budget;
    this.budgetPercent = budgetPercent;
  }

  /** At most {@code items} known items move per version, each only if it gains the margin. */
  public static ChurnPolicy budget(long items, double margin) {
    if (items < 0) {
      throw new IllegalArgumentException("BUDGET items must be >= 0: " + items);
    }
    return new ChurnPolicy(Mode.BUDGET, checkBudgetMargin(margin), 0, items, 0);
  }

  /**
   * At most {@code percent} percent of the known items move per version, each only if it gains the
   * margin.
   */
  public static ChurnPolicy budgetShare(double percent, double margin) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException(
          "BUDGET share must be in (0, 100] percent of the known items: " + percent + "%");
    }
    return new ChurnPolicy(Mode.BUDGET, checkBudgetMargin(margin), 0, 0, percent);
  }

  private static double checkBudgetMargin(double margin) {
    if (!(margin >= 0 && margin < 1)) {
      throw new IllegalArgumentException("BUDGET margin must be in [0, 1): " + margin);
    }
    return margin;
  }

  public static ChurnPolicy always() {
    return new ChurnPolicy(Mode.ALWAYS, 0, 0);
  }

  public static ChurnPolicy keepUnlessBetter(double margin) {
    if (!(margin >= 0 && margin < 1)) {
      throw new IllegalArgumentException("KEEP_UNLESS_BETTER margin must be in [0, 1): " + margin);
    }
    return new ChurnPolicy(Mode.KEEP_UNLESS_BETTER, margin, 0);
  }

  public static ChurnPolicy keep() {
    return new ChurnPolicy(Mode.KEEP, 0, 0);
  }

  public static ChurnPolicy freezeLevels(int levels) {
    if (levels < 1) {
      throw new IllegalArgumentException("FREEZE_LEVELS needs at least 1 level: " + levels);
    }
    return new ChurnPolicy(Mode.FREEZE_LEVELS, 0, levels);
  }

  public static ChurnPolicy keepUnlessCoarseMoves(int levels) {
    if (levels < 1) {
      throw new IllegalArgumentException(
          "KEEP_UNLESS_COARSE_MOVES needs at least 1 level: " + levels);
    }
    return new ChurnPolicy(Mode.KEEP_UNLESS_COARSE_MOVES, 0, levels);
  }

  /**
   * Parses {@code ALWAYS}, {@code KEEP_UNLESS_BETTER:0.1}, {@code FREEZE_LEVELS:1}, {@code
   * KEEP_UNLESS_COARSE_MOVES:1}, {@code BUDGET:1000:0.1}, {@code BUDGET:10%:0.1} or {@code KEEP}.
   */
  public static ChurnPolicy parse(String text) {
    String[] parts = text.trim().split(":", 3);
    Mode mode;
    try {
      mode = Mode.valueOf(parts[0].trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown churn policy '" + text + "', want one of " + Arrays.toString(Mode.values()));
    }
    try {
      return switch (mode) {
        case ALWAYS -> always();
        case KEEP_UNLESS_BETTER ->
            keepUnlessBetter(parts.length > 1 ? Double.parseDouble(parts[1]) : 0.1);
        case FREEZE_LEVELS -> freezeLevels(parts.length > 1 ? Integer.parseInt(parts[1]) : 1);
        case KEEP_UNLESS_COARSE_MOVES ->
            keepUnlessCoarseMoves(parts.length > 1 ? Integer.parseInt(parts[1]) : 1);
        case BUDGET -> {
          if (parts.length < 2 || parts[1].isBlank()) {
            throw new IllegalArgumentException(
                "BUDGET needs the most items a version may move, as a number or a share of the"
                    + " known items, e.g. BUDGET:1000:0.1 or BUDGET:10%:0.1");
          }
          String cap = parts[1].trim();
          double margin = parts.length > 2 ? Double.parseDouble(parts[2]) : 0.1;
          if (!cap.endsWith("%")) {
            yield budget(Long.parseLong(cap), margin);
          }
          if (!SHARE.matcher(cap).matches()) {
            throw new IllegalArgumentException(
                "BUDGET share must be a decimal percent such as 10% or 2.5%: '" + cap + "'");
          }
          yield budgetShare(Double.parseDouble(cap.substring(0, cap.length() - 1)), margin);
        }
        case KEEP -> keep();
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad churn policy parameter in '" + text + "'");
    }
  }

  /**
   * True if the item should move from {@code old} to {@code fresh}; under {@code BUDGET} only
   * whether it is a candidate ({@link #gain}), the assigner deciding which candidates move.
   */
  public boolean accept(ItemCodes old, ItemCodes fresh) {
    return switch (mode) {
      case BUDGET -> throw new IllegalStateException("BUDGET decides by gain and cap, not alone");
      case ALWAYS -> true;
      case KEEP_UNLESS_BETTER -> fresh.residualNorm < (1 - margin) * old.residualNorm;
      case FREEZE_LEVELS -> samePrefix(old, fresh);
      case KEEP_UNLESS_COARSE_MOVES -> !samePrefix(old, fresh);
      case KEEP -> false;
    };
  }

  /** Whether the two tuples agree on the first {@code frozenLevels} levels. */
  private boolean samePrefix(ItemCodes old, ItemCodes fresh) {
    return Arrays.equals(
        old.codes,
        0,
        Math.min(frozenLevels, old.codes.length),
        fresh.codes,
        0,
        Math.min(frozenLevels, fresh.codes.length));
  }

  /**
   * The relative gain of moving under {@code BUDGET}: how much closer the new codes fit than the
   * held ones, both in the new version's space; a candidate when above the margin, else NaN.
   */
  public double gain(float heldResidual, float freshResidual) {
    double gain = heldResidual > 0 ? (heldResidual - freshResidual) / heldResidual : 0;
    return gain > margin ? gain : Double.NaN;
  }

  /**
   * The most known items one version may move job-wide under {@code BUDGET:n} (0 under a share).
   */
  public long budget() {
    return budget;
  }

  /** p under {@code BUDGET:p%}; 0 when the budget is a number of items. */
  public double budgetPercent() {
    return budgetPercent;
  }

  /**
   * True under {@code BUDGET:p%}: a subtask's cap depends on the known items its sweep counts, so
   * it is only known once the sweep has passed them all.
   */
  public boolean budgetIsShare() {
    return budgetPercent > 0;
  }

  /**
   * The most known items that one assigner subtask may move at a version under {@code BUDGET}.
   * Under {@code BUDGET:n}, its key groups' share of n, rounded down, so the caps of all subtasks
   * sum to at most n whatever the parallelism. Under {@code BUDGET:p%}, p percent of the {@code
   * knownItems} its sweep visited, rounded down (exactly, on the decimal p), so the caps sum to at
   * most p percent of the known items.
   *
   * @param knownItems live items holding codes that the subtask's sweep visited (ignored under n)
   * @param keyGroups the subtask's number of key groups (ignored under p%)
   */
  public long budgetCap(long knownItems, int keyGroups, int maxParallelism) {
    if (mode != Mode.BUDGET) {
      throw new IllegalStateException("no budget under " + this);
    }
    if (budgetIsShare()) {
      return BigDecimal.valueOf(budgetPercent)
          .multiply(BigDecimal.valueOf(knownItems))
          .divide(BigDecimal.valueOf(100))
          .setScale(0, RoundingMode.FLOOR)
          .longValueExact();
    }
    return (long) Math.floor((double) budget * keyGroups / maxParallelism);
  }

  /** True if no known item can move on a model update, so a re-encoding sweep would be wasted. */
  public boolean keepsEveryItem() {
    return mode == Mode.KEEP;
  }

  public Mode mode() {
    return mode;
  }

  @Override
  public String toString() {
    return switch (mode) {
      case ALWAYS -> "ALWAYS";
      case KEEP_UNLESS_BETTER -> "KEEP_UNLESS_BETTER:" + margin;
      case FREEZE_LEVELS -> "FREEZE_LEVELS:" + frozenLevels;
      case KEEP_UNLESS_COARSE_MOVES -> "KEEP_UNLESS_COARSE_MOVES:" + frozenLevels;
      case BUDGET ->
          "BUDGET:"
              + (budgetIsShare()
                  ? BigDecimal.valueOf(budgetPercent).stripTrailingZeros().toPlainString() + "%"
                  : Long.toString(budget))
              + ":"
              + margin;
      case KEEP -> "KEEP";
    };
  }
}
