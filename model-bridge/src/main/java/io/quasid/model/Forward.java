package io.quasid.model;

/**
 * Output of the quantizing forward pass.
 *
 * @param codes {@code [n][levels]}
 * @param residualNorms {@code [n]} ||z - z_q||
 * @param levelResiduals {@code [levels][n][latentDim]} the residual each level quantized, or null
 *     when not requested
 * @param latent {@code [n][latentDim]} the encoder's output, or null when not requested
 */
record Forward(
    int[][] codes, float[] residualNorms, float[][][] levelResiduals, float[][] latent) {}
