package io.quasid.job.pipeline;

/** Counts of a sweep in progress, for its log line, the churn gauge and the migration reports. */
final class SweepTotals {
  long encoded;
  long changed;
  long kept;

  void add(long encoded, long changed, long kept) {
    this.encoded += encoded;
    this.changed += changed;
    this.kept += kept;
  }
}
