package io.quasid.model;

/**
 * Qualified conflict pairs of one batch split by Hamming tier, as dense {@code [n][n]} 0/1 masks
 * holding only pairs {@code i < j} (so every unordered pair counts once).
 *
 * @param full qualified pairs that share all L codes (H = 0)
 * @param partial qualified pairs with {@code 0 < H <= partialRadius}
 * @param fullPairs number of ones in {@code full}
 * @param partialPairs number of ones in {@code partial}
 * @param partialPairsByHamming {@code [R]}: number of qualified pairs with H = h at index h - 1
 * @param partialByHamming {@code [R][n][n]}: {@code partial} split by H (index h - 1), or null when
 *     not asked for (no per-Hamming schedule)
 */
public record CollisionTiers(
    float[][] full,
    float[][] partial,
    long fullPairs,
    long partialPairs,
    long[] partialPairsByHamming,
    float[][][] partialByHamming) {}
