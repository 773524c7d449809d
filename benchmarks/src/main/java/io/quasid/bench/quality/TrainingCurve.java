package io.quasid.bench.quality;

/**
 * Per-step training signals of one tokenizer run, for plots.
 *
 * @param loss total loss at step {@code i + 1} (before that step's update)
 * @param collisionSteps steps at which the whole catalogue was encoded (0 = after codebook init)
 * @param collisionRates catalogue collision rate at those steps
 */
public record TrainingCurve(double[] loss, int[] collisionSteps, double[] collisionRates) {

  public static final TrainingCurve EMPTY =
      new TrainingCurve(new double[0], new int[0], new double[0]);
}
