package io.quasid.model;

/**
 * Loss terms and collision counts of one training step (values before the step's update). Terms
 * that are switched off are 0.
 *
 * @param fullCollisionPairs qualified (masked-in) pairs of the batch with Hamming distance 0
 * @param partialCollisionPairs qualified pairs with 0 < Hamming distance <= partialRadius
 */
public record TrainResult(
    long step,
    float total,
    float reconstruction,
    float quantization,
    float contrastive,
    float repulsionFull,
    float repulsionPartial,
    long fullCollisionPairs,
    long partialCollisionPairs) {

  public boolean isFinite() {
    return Float.isFinite(total)
        && Float.isFinite(reconstruction)
        && Float.isFinite(quantization)
        && Float.isFinite(contrastive)
        && Float.isFinite(repulsionFull)
        && Float.isFinite(repulsionPartial);
  }
}
