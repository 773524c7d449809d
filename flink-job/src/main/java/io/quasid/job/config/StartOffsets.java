package io.quasid.job.config;

/** Where the Kafka sources start when the job has no checkpoint to resume from. */
public enum StartOffsets {
  EARLIEST,
  LATEST,
  COMMITTED
}
