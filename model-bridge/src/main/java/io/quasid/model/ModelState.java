package io.quasid.model;

import java.util.Map;

/**
 * Everything a model is besides its graph: the decoded form of a snapshot.
 *
 * @param skippedSteps training steps whose update was not applied (non-finite loss or gradient)
 * @param variables name -> flat values of every graph variable; empty in SavedModel metadata, where
 *     the variables live in the SavedModel itself; only those encoding reads when {@code
 *     inferenceOnly}
 * @param inferenceOnly an encoding-only state: no decoder, no optimizer slots, no dead-code state
 *     (a fresh tracker stands in for it); such a model cannot train
 */
record ModelState(
    QuasidConfig config,
    long step,
    long modelVersion,
    long skippedSteps,
    boolean codebooksInitialized,
    DeadCodeTracker deadCodes,
    Map<String, float[]> variables,
    boolean inferenceOnly) {

  /** A full (trainable) state. */
  ModelState(
      QuasidConfig config,
      long step,
      long modelVersion,
      long skippedSteps,
      boolean codebooksInitialized,
      DeadCodeTracker deadCodes,
      Map<String, float[]> variables) {
    this(
        config,
        step,
        modelVersion,
        skippedSteps,
        codebooksInitialized,
        deadCodes,
        variables,
        false);
  }
}
