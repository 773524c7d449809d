package io.quasid.job.training;

/**
 * Decides whether a candidate version may replace the live one: every loss since the last version
 * must be finite, and the candidate's collision rate on the held-out items must not exceed the live
 * version's (measured on the same items) by more than the tolerance.
 */
final class QualityGate {
  private final double tolerance;

  QualityGate(double tolerance) {
    this.tolerance = tolerance;
  }

  /**
   * @param liveCollisionRate the live version's rate on the same items, or NaN when nothing is live
   */
  GateDecision evaluate(
      boolean lossesFinite, double candidateCollisionRate, double liveCollisionRate) {
    if (!lossesFinite) {
      return new GateDecision(false, false, "non-finite loss since the last version");
    }
    if (!Double.isFinite(candidateCollisionRate)) {
      return new GateDecision(false, true, "candidate collision rate is not a number");
    }
    if (Double.isNaN(liveCollisionRate)) {
      return new GateDecision(true, true, "first version");
    }
    if (candidateCollisionRate > liveCollisionRate + tolerance) {
      return new GateDecision(
          false,
          true,
          String.format(
              "held-out collision rate %.4f worse than live %.4f by more than %.4f",
              candidateCollisionRate, liveCollisionRate, tolerance));
    }
    return new GateDecision(
        true,
        true,
        String.format(
            "held-out collision rate %.4f vs live %.4f",
            candidateCollisionRate, liveCollisionRate));
  }
}
