package io.quasid.job.training;

/**
 * Decides whether a candidate version may replace the live one, on the gate's samples, by what
 * recommenders need from a new version:
 *
 * <ol>
 *   <li>every loss since the last version was finite;
 *   <li>collisions: the candidate's collision rate exceeds the live version's by at most {@code
 *       collisionTolerance};
 *   <li>co-engagement coherence: the share of co-engaged pairs sharing their coarse codes drops by
 *       at most {@code coherenceTolerance} (skipped while there are no pairs);
 *   <li>churn: at most {@code churnBudget} of the sample's items would change their code tuple
 *       (each change is a cache invalidation and a remapped token downstream).
 * </ol>
 *
 * A rejection names the first criterion that failed.
 */
final class QualityGate {

  /** The criterion a rejected candidate failed. */
  enum Criterion {
    NON_FINITE_LOSS,
    COLLISIONS,
    COHERENCE,
    CHURN
  }

  private final double collisionTolerance;
  private final double coherenceTolerance;
  private final double churnBudget;

  QualityGate(double collisionTolerance, double coherenceTolerance, double churnBudget) {
    this.collisionTolerance = collisionTolerance;
    this.coherenceTolerance = coherenceTolerance;
    this.churnBudget = churnBudget;
  }

  /**
   * @param candidate null when a loss was non-finite (nothing worth measuring)
   * @param live null when nothing is live yet
   */
  GateDecision evaluate(boolean lossesFinite, GateMeasurement candidate, GateMeasurement live) {
    if (!lossesFinite || candidate == null) {
      return GateDecision.rejected(
          Criterion.NON_FINITE_LOSS, false, "non-finite loss since the last version", Double.NaN);
    }
    double collisions = candidate.usage().collisionRate();
    if (!Double.isFinite(collisions)) {
      return GateDecision.rejected(
          Criterion.COLLISIONS, true, "candidate collision rate is not a number", Double.NaN);
    }
    if (live == null) {
      return GateDecision.accepted("first version", Double.NaN);
    }
    double liveCollisions = live.usage().collisionRate();
    double churn = candidate.churnAgainst(live);
    if (collisions > liveCollisions + collisionTolerance) {
      return GateDecision.rejected(
          Criterion.COLLISIONS,
          true,
          String.format(
              "collisions: gate-sample collision rate %.4f worse than live %.4f by more than %.4f",
              collisions, liveCollisions, collisionTolerance),
          churn);
    }
    boolean pairs = !Double.isNaN(candidate.coherence()) && !Double.isNaN(live.coherence());
    if (pairs && candidate.coherence() < live.coherence() - coherenceTolerance) {
      return GateDecision.rejected(
          Criterion.COHERENCE,
          true,
          String.format(
              "coherence: co-engaged pairs sharing their coarse codes %.4f below live %.4f by"
                  + " more than %.4f",
              candidate.coherence(), live.coherence(), coherenceTolerance),
          churn);
    }
    if (churn > churnBudget) {
      return GateDecision.rejected(
          Criterion.CHURN,
          true,
          String.format(
              "churn: %.4f of the gate sample would change SID, budget %.4f", churn, churnBudget),
          churn);
    }
    return GateDecision.accepted(
        String.format(
            "collision rate %.4f vs live %.4f, coherence %s vs live %s, churn %.4f",
            collisions,
            liveCollisions,
            pairs ? String.format("%.4f", candidate.coherence()) : "n/a",
            pairs ? String.format("%.4f", live.coherence()) : "n/a",
            churn),
        churn);
  }
}
