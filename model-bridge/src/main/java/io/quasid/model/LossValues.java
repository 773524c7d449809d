package io.quasid.model;

/** Loss terms fetched from one training run; switched-off terms are 0. */
record LossValues(
    float total,
    float reconstruction,
    float quantization,
    float contrastive,
    float repulsionFull,
    float repulsionPartial) {}
