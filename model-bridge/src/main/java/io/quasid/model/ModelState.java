package io.quasid.model;

import java.util.Map;

/**
 * Everything a model is besides its graph: the decoded form of a snapshot.
 *
 * @param skippedSteps training steps whose update was not applied (non-finite loss or gradient)
 * @param variables name -> flat values of every graph variable; empty in SavedModel metadata, where
 *     the variables live in the SavedModel itself
 */
record ModelState(
    QuasidConfig config,
    long step,
    long modelVersion,
    long skippedSteps,
    boolean codebooksInitialized,
    DeadCodeTracker deadCodes,
    Map<String, float[]> variables) {}
