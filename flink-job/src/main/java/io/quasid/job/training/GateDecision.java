package io.quasid.job.training;

/** Verdict of the {@link QualityGate} on a candidate version, with a reason for logs. */
record GateDecision(boolean accepted, boolean lossesFinite, String reason) {}
