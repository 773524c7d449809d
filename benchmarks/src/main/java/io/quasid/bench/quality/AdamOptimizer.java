package io.quasid.bench.quality;

/** Adam (Kingma & Ba) with bias correction over one flat parameter vector. */
public final class AdamOptimizer {

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final double learningRate;
  private final double[] m;
  private final double[] v;
  private long t;

  public AdamOptimizer(int size, double learningRate) {
    this.learningRate = learningRate;
    this.m = new double[size];
    this.v = new double[size];
  }

  /** {@code params -= lr * mhat / (sqrt(vhat) + eps)} with {@code grad} scaled by {@code scale}. */
  public void step(double[] params, double[] grad, double scale) {
    t++;
    double c1 = 1 - Math.pow(BETA1, t);
    double c2 = 1 - Math.pow(BETA2, t);
    for (int i = 0; i < params.length; i++) {
      double g = grad[i] * scale;
      m[i] = BETA1 * m[i] + (1 - BETA1) * g;
      v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
      params[i] -= learningRate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPSILON);
    }
  }
}
