package io.quasid.model;

/**
 * A model as self-describing bytes (they live in Flink state and on Kafka-free broadcast paths),
 * with its version and step. From {@link QuasidModel#snapshot()}: everything needed to resume
 * training (weights, codebooks, optimizer slots, counters). From {@link
 * QuasidModel#inferenceSnapshot()}: only what encoding needs (encoder, codebooks, counters); both
 * restore with {@link QuasidModel#restore(byte[])}.
 */
public record ModelSnapshot(long modelVersion, long step, byte[] bytes) {}
