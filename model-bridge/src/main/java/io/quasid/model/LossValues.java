package io.quasid.model;

/**
 * Loss terms fetched from one training run; switched-off terms are 0. {@code applied} is false when
 * the run skipped its update (non-finite loss or gradient).
 */
record LossValues(
    float total,
    float reconstruction,
    float quantization,
    float contrastive,
    float repulsionFull,
    float repulsionPartial,
    float anchorLatent,
    float anchorCodebook,
    boolean applied) {}
