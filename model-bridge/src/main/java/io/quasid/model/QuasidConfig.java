package io.quasid.model;

import java.util.Arrays;

/**
 * Every knob of the QuaSID tokenizer, with the defaults of {@code docs/quasid-method.md}. Build
 * with {@link #builder(int)}; each loss term can be switched off for ablations.
 */
public record QuasidConfig(
    int inputDim,
    int[] encoderHidden,
    int latentDim,
    int levels,
    int codebookSize,
    float beta,
    float learningRate,
    float codebookLearningRate,
    long seed,
    boolean contrastive,
    float lambdaContrastive,
    float temperature,
    boolean repulsion,
    boolean masking,
    float lambdaFull,
    float lambdaPartial,
    float marginFull,
    float marginPartial,
    int partialRadius,
    float[] partialMargins,
    float[] partialWeights,
    boolean maskSameGroup,
    boolean maskNearDuplicates,
    float nearDuplicateCosine,
    int deadCodeSteps,
    int kmeansIterations,
    String device,
    int intraOpThreads,
    int interOpThreads,
    String featureSpace,
    LossScale lossScale,
    boolean detachDeepResiduals,
    ContrastiveNegatives contrastiveNegatives) {

  /**
   * How the reconstruction and quantisation terms are reduced, which sets their weight against the
   * scale-free repulsion and contrastive terms (cosines).
   */
  public enum LossScale {
    /**
     * Per row, the squared error summed over its dimensions, averaged over rows; the levels' L_rq
     * summed (docs/quasid-method.md as written).
     */
    ROW_SUM,
    /**
     * Per element: the squared error averaged over rows and dimensions, the levels' L_rq averaged,
     * as PyTorch's {@code mse_loss} in the reference implementations. With the same lambdas the
     * repulsion and contrastive terms weigh about (input dims) and (latent dims x levels) times
     * more against reconstruction and quantisation than under ROW_SUM.
     */
    ELEMENT_MEAN
  }

  /** Which rows of a batch a collaborative pair is contrasted against. */
  public enum ContrastiveNegatives {
    /** The other pairs' targets (and triggers, backwards): docs/quasid-method.md as written. */
    PAIRS,
    /**
     * Every row of the batch, the catalogue rows included, less the pair's own items and other
     * known positives: more negatives per pair, closer to the reference implementation's
     * catalogue-wide form (every item against all others).
     */
    BATCH
  }

  public QuasidConfig {
    featureSpace = featureSpace == null ? "" : featureSpace;
    lossScale = lossScale == null ? LossScale.ROW_SUM : lossScale;
    contrastiveNegatives =
        contrastiveNegatives == null ? ContrastiveNegatives.PAIRS : contrastiveNegatives;
    encoderHidden = encoderHidden.clone();
    partialMargins = partialMargins == null ? new float[0] : partialMargins.clone();
    partialWeights = partialWeights == null ? new float[0] : partialWeights.clone();
    require(inputDim > 0, "inputDim must be > 0, got " + inputDim);
    require(latentDim > 0, "latentDim must be > 0, got " + latentDim);
    require(levels > 0, "levels must be > 0, got " + levels);
    require(codebookSize > 1, "codebookSize must be > 1, got " + codebookSize);
    for (int h : encoderHidden) {
      require(h > 0, "encoder hidden sizes must be > 0: " + Arrays.toString(encoderHidden));
    }
    require(
        finite(learningRate) && learningRate > 0, "learningRate must be > 0, got " + learningRate);
    require(
        finite(codebookLearningRate) && codebookLearningRate > 0,
        "codebookLearningRate must be > 0, got " + codebookLearningRate);
    require(
        finite(beta) && beta >= 0,
        "beta (commitment weight) must be a finite value >= 0, got " + beta);
    require(
        finite(temperature) && temperature > 0,
        "temperature must be a finite value > 0, got " + temperature);
    requireWeight("lambdaContrastive", lambdaContrastive);
    requireWeight("lambdaFull", lambdaFull);
    requireWeight("lambdaPartial", lambdaPartial);
    requireMargin("marginFull", marginFull);
    requireMargin("marginPartial", marginPartial);
    require(
        partialRadius >= 1 && partialRadius < levels || levels == 1,
        "partialRadius must be in [1, levels), got " + partialRadius);
    require(
        partialMargins.length == partialWeights.length,
        "partialMargins and partialWeights must have the same length, got "
            + partialMargins.length
            + " and "
            + partialWeights.length);
    require(
        partialMargins.length == 0 || partialMargins.length == partialRadius,
        "a per-Hamming schedule needs one margin and weight per H in [1, partialRadius = "
            + partialRadius
            + "], got "
            + partialMargins.length);
    for (int h = 0; h < partialMargins.length; h++) {
      requireMargin("partialMargins[" + h + "] (H = " + (h + 1) + ")", partialMargins[h]);
      requireWeight("partialWeights[" + h + "] (H = " + (h + 1) + ")", partialWeights[h]);
    }
    require(
        finite(nearDuplicateCosine) && nearDuplicateCosine >= -1 && nearDuplicateCosine <= 1,
        "nearDuplicateCosine must be in [-1, 1], got " + nearDuplicateCosine);
    require(deadCodeSteps >= 0, "deadCodeSteps must be >= 0 (0 = off), got " + deadCodeSteps);
    require(kmeansIterations >= 0, "kmeansIterations must be >= 0, got " + kmeansIterations);
  }

  private static boolean finite(float v) {
    return Float.isFinite(v);
  }

  // A negative weight would turn a loss term into its opposite (repulsion into attraction).
  private static void requireWeight(String name, float v) {
    require(
        finite(v) && v >= 0,
        name + " must be a finite weight >= 0 (a negative weight inverts its term), got " + v);
  }

  // The cosine distance d = 1 - cos lies in [0, 2]: a margin outside (0, 2] is never or always met.
  private static void requireMargin(String name, float v) {
    require(finite(v) && v > 0 && v <= 2, name + " must be in (0, 2] (cosine distance), got " + v);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * True when the partial tier is split by Hamming distance (see {@link Builder#partialSchedule}).
   */
  public boolean hasPartialSchedule() {
    return partialMargins.length > 0;
  }

  @Override
  public float[] partialMargins() {
    return partialMargins.clone();
  }

  @Override
  public float[] partialWeights() {
    return partialWeights.clone();
  }

  @Override
  public int[] encoderHidden() {
    return encoderHidden.clone();
  }

  public static Builder builder(int inputDim) {
    return new Builder(inputDim);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Plain RQ-VAE: contrastive and repulsion off. */
  public QuasidConfig plainRqVae() {
    return toBuilder().contrastive(false).repulsion(false).build();
  }

  /** Mutable builder; defaults follow the method reference. */
  public static final class Builder {
    private int inputDim;
    private int[] encoderHidden = {512, 256, 128};
    private int latentDim = 32;
    private int levels = 3;
    private int codebookSize = 256;
    private float beta = 0.25f;
    private float learningRate = 1e-3f;
    // Adam moves each weight by about the learning rate per step whatever the gradient's size, so
    // at the encoder's rate codebooks trail the encoder's drifting outputs by hundreds of steps and
    // collisions climb after every restart of training (measured: 1.1% -> 25-30% on Beauty, 3%
    // after 300 steps; at 10x they are back at 1% within 75 steps). See TRAINING.md.
    private float codebookLearningRate = 1e-2f;
    private long seed = 42L;
    private boolean contrastive = true;
    private float lambdaContrastive = 0.1f;
    private float temperature = 0.1f;
    private boolean repulsion = true;
    private boolean masking = true;
    private float lambdaFull = 0.2f;
    private float lambdaPartial = 0.1f;
    private float marginFull = 0.8f;
    private float marginPartial = 0.5f;
    private int partialRadius = 1;
    private float[] partialMargins = new float[0];
    private float[] partialWeights = new float[0];
    // Off: nearly every real conflict pair shares its group, so this mask would leave the
    // repulsion with almost no pairs (docs/quasid-method.md).
    private boolean maskSameGroup = false;
    private boolean maskNearDuplicates = false;
    private float nearDuplicateCosine = 0.98f;
    private int deadCodeSteps = 200;
    private int kmeansIterations = 20;
    private String device = "/cpu:0";
    private int intraOpThreads = 1;
    private int interOpThreads = 2;
    private String featureSpace = "";
    private LossScale lossScale = LossScale.ROW_SUM;
    private boolean detachDeepResiduals = false;
    private ContrastiveNegatives contrastiveNegatives = ContrastiveNegatives.PAIRS;

    private Builder(int inputDim) {
      this.inputDim = inputDim;
    }

    private Builder(QuasidConfig c) {
      inputDim = c.inputDim;
      encoderHidden = c.encoderHidden.clone();
      latentDim = c.latentDim;
      levels = c.levels;
      codebookSize = c.codebookSize;
      beta = c.beta;
      learningRate = c.learningRate;
      codebookLearningRate = c.codebookLearningRate;
      seed = c.seed;
      contrastive = c.contrastive;
      lambdaContrastive = c.lambdaContrastive;
      temperature = c.temperature;
      repulsion = c.repulsion;
      masking = c.masking;
      lambdaFull = c.lambdaFull;
      lambdaPartial = c.lambdaPartial;
      marginFull = c.marginFull;
      marginPartial = c.marginPartial;
      partialRadius = c.partialRadius;
      partialMargins = c.partialMargins.clone();
      partialWeights = c.partialWeights.clone();
      maskSameGroup = c.maskSameGroup;
      maskNearDuplicates = c.maskNearDuplicates;
      nearDuplicateCosine = c.nearDuplicateCosine;
      deadCodeSteps = c.deadCodeSteps;
      kmeansIterations = c.kmeansIterations;
      device = c.device;
      intraOpThreads = c.intraOpThreads;
      interOpThreads = c.interOpThreads;
      featureSpace = c.featureSpace;
      lossScale = c.lossScale;
      detachDeepResiduals = c.detachDeepResiduals;
      contrastiveNegatives = c.contrastiveNegatives;
    }

    public Builder inputDim(int v) {
      inputDim = v;
      return this;
    }

    public Builder encoderHidden(int... v) {
      encoderHidden = v.clone();
      return this;
    }

    public Builder latentDim(int v) {
      latentDim = v;
      return this;
    }

    public Builder levels(int v) {
      levels = v;
      return this;
    }

    public Builder codebookSize(int v) {
      codebookSize = v;
      return this;
    }

    public Builder beta(float v) {
      beta = v;
      return this;
    }

    public Builder learningRate(float v) {
      learningRate = v;
      return this;
    }

    /** Adam learning rate of the codebooks; the encoder and decoder use {@link #learningRate}. */
    public Builder codebookLearningRate(float v) {
      codebookLearningRate = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder contrastive(boolean v) {
      contrastive = v;
      return this;
    }

    public Builder lambdaContrastive(float v) {
      lambdaContrastive = v;
      return this;
    }

    public Builder temperature(float v) {
      temperature = v;
      return this;
    }

    public Builder repulsion(boolean v) {
      repulsion = v;
      return this;
    }

    public Builder masking(boolean v) {
      masking = v;
      return this;
    }

    public Builder lambdaFull(float v) {
      lambdaFull = v;
      return this;
    }

    public Builder lambdaPartial(float v) {
      lambdaPartial = v;
      return this;
    }

    public Builder marginFull(float v) {
      marginFull = v;
      return this;
    }

    public Builder marginPartial(float v) {
      marginPartial = v;
      return this;
    }

    public Builder partialRadius(int v) {
      partialRadius = v;
      return this;
    }

    /**
     * Per-Hamming schedule of the partial tier: pairs with Hamming distance h (1 <= h <= R) form
     * their own tier with margin {@code margins[h - 1]} and weight {@code weights[h - 1]} (relative
     * to {@code lambdaPartial}), each averaged over its own pairs like the full tier. Both arrays
     * have {@code partialRadius} entries; empty arrays (the default) keep one partial tier with
     * {@code marginPartial}.
     */
    public Builder partialSchedule(float[] margins, float[] weights) {
      partialMargins = margins.clone();
      partialWeights = weights.clone();
      return this;
    }

    /** Only the same-product-group mask: off by default, see {@link PairMasks}. */
    public Builder maskSameGroup(boolean v) {
      maskSameGroup = v;
      return this;
    }

    public Builder maskNearDuplicates(boolean v) {
      maskNearDuplicates = v;
      return this;
    }

    public Builder nearDuplicateCosine(float v) {
      nearDuplicateCosine = v;
      return this;
    }

    public Builder deadCodeSteps(int v) {
      deadCodeSteps = v;
      return this;
    }

    public Builder kmeansIterations(int v) {
      kmeansIterations = v;
      return this;
    }

    public Builder device(String v) {
      device = v;
      return this;
    }

    public Builder intraOpThreads(int v) {
      intraOpThreads = v;
      return this;
    }

    public Builder interOpThreads(int v) {
      interOpThreads = v;
      return this;
    }

    /**
     * What the input vectors are, e.g. the sentence encoder that made them ("" when unknown): a
     * model only makes sense on the features it was trained on, and a job can check this where the
     * dimension alone cannot tell two 384-d encoders apart.
     */
    public Builder featureSpace(String v) {
      featureSpace = v;
      return this;
    }

    /** See {@link LossScale}; ROW_SUM by default. */
    public Builder lossScale(LossScale v) {
      lossScale = v;
      return this;
    }

    /**
     * When true, each residual past the first is {@code sg(r_l - q_l)}: only level 1's commitment
     * term reaches the encoder, and deeper levels train their codebooks alone. This is what the
     * reference RQ-VAE implementations do in effect (the straight-through output is subtracted from
     * the residual); off by default, where every level's commitment pulls the encoder.
     */
    public Builder detachDeepResiduals(boolean v) {
      detachDeepResiduals = v;
      return this;
    }

    /** See {@link ContrastiveNegatives}; PAIRS by default. */
    public Builder contrastiveNegatives(ContrastiveNegatives v) {
      contrastiveNegatives = v;
      return this;
    }

    public QuasidConfig build() {
      return new QuasidConfig(
          inputDim,
          encoderHidden,
          latentDim,
          levels,
          codebookSize,
          beta,
          learningRate,
          codebookLearningRate,
          seed,
          contrastive,
          lambdaContrastive,
          temperature,
          repulsion,
          masking,
          lambdaFull,
          lambdaPartial,
          marginFull,
          marginPartial,
          partialRadius,
          partialMargins,
          partialWeights,
          maskSameGroup,
          maskNearDuplicates,
          nearDuplicateCosine,
          deadCodeSteps,
          kmeansIterations,
          device,
          intraOpThreads,
          interOpThreads,
          featureSpace,
          lossScale,
          detachDeepResiduals,
          contrastiveNegatives);
    }
  }
}
