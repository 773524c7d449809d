package io.quasid.model;

/**
 * Everything needed to resume training or encoding: weights, codebooks, optimizer slots, step and
 * version, as self-describing bytes (they live in Flink state and on Kafka-free broadcast paths).
 */
public record ModelSnapshot(long modelVersion, long step, byte[] bytes) {}
