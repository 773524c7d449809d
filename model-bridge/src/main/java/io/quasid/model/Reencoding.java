package io.quasid.model;

/**
 * A version's codes for items that already hold codes, and how well the held codes still fit in
 * this version's space.
 *
 * @param encoding the version's own codes and residual norms
 * @param heldResidualNorms {@code [n]} |z - z_q| of each item's held codes in this version; NaN for
 *     an item that holds none
 */
public record Reencoding(Encoding encoding, float[] heldResidualNorms) {}
