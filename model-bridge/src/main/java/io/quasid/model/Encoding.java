package io.quasid.model;

/**
 * Result of {@link SidTokenizer#encode}: {@code codes[i][l]} is the code of item i at level l;
 * {@code residualNorms[i]} is ||z_i - z_q,i||, the quantization error of item i in latent space.
 */
public record Encoding(int[][] codes, float[] residualNorms) {}
