package io.quasid.model;

/**
 * Loss terms and collision counts of one training step (values before the step's update). Terms
 * that are switched off are 0.
 *
 * @param step the model's step after this call: one more than before when the update was applied,
 *     unchanged when it was skipped
 * @param anchorLatent the latent anchoring term before its weight (0 when not anchored, see {@link
 *     Anchors})
 * @param anchorCodebook the codebook anchoring term before its weight
 * @param fullCollisionPairs qualified (masked-in) pairs of the batch with Hamming distance 0: the
 *     pairs the full tier of the repulsion acted on (counted with repulsion off too)
 * @param partialCollisionPairs qualified pairs with 0 < Hamming distance <= partialRadius: the
 *     pairs of the partial tier
 * @param applied false when the update was skipped because the loss or a gradient was non-finite;
 *     then no variable, counter or dead-code state changed
 * @param skippedSteps how many steps of this model (restores included) were skipped so far
 */
public record TrainResult(
    long step,
    float total,
    float reconstruction,
    float quantization,
    float contrastive,
    float repulsionFull,
    float repulsionPartial,
    float anchorLatent,
    float anchorCodebook,
    long fullCollisionPairs,
    long partialCollisionPairs,
    boolean applied,
    long skippedSteps) {

  public boolean isFinite() {
    return Float.isFinite(total)
        && Float.isFinite(reconstruction)
        && Float.isFinite(quantization)
        && Float.isFinite(contrastive)
        && Float.isFinite(repulsionFull)
        && Float.isFinite(repulsionPartial)
        && Float.isFinite(anchorLatent)
        && Float.isFinite(anchorCodebook);
  }
}
