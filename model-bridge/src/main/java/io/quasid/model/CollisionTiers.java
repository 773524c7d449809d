package io.quasid.model;

/**
 * Qualified conflict pairs of one batch split by Hamming tier, as dense {@code [n][n]} 0/1 masks
 * holding only pairs {@code i < j} (so every unordered pair counts once).
 *
 * @param full qualified pairs that share all L codes (H = 0)
 * @param partial qualified pairs with {@code 0 < H <= partialRadius}
 * @param fullPairs number of ones in {@code full}
 * @param partialPairs number of ones in {@code partial}
 */
public record CollisionTiers(
    float[][] full, float[][] partial, long fullPairs, long partialPairs) {}
