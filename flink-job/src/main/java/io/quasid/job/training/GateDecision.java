package io.quasid.job.training;

/**
 * Verdict of the {@link QualityGate} on a candidate version, with a reason for logs.
 *
 * @param failed the criterion a rejected candidate failed; null when accepted
 * @param churn share of the gate sample whose codes would change (NaN: nothing live to compare)
 */
record GateDecision(
    boolean accepted,
    boolean lossesFinite,
    QualityGate.Criterion failed,
    String reason,
    double churn) {

  static GateDecision accepted(String reason, double churn) {
    return new GateDecision(true, true, null, reason, churn);
  }

  static GateDecision rejected(
      QualityGate.Criterion failed, boolean lossesFinite, String reason, double churn) {
    return new GateDecision(false, lossesFinite, failed, reason, churn);
  }
}
