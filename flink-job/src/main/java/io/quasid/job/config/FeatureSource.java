package io.quasid.job.config;

/** Which part of an item-feature event the job encodes. */
public enum FeatureSource {
  /** The feature vector; text is ignored (the default, and the only mode before text existed). */
  VECTOR,
  /** The text, embedded by the job's sentence encoder; a vector is ignored. */
  TEXT,
  /** The vector when the event has one, else its text. */
  VECTOR_OR_TEXT
}
