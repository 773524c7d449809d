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
    boolean maskSameGroup,
    boolean maskNearDuplicates,
    float nearDuplicateCosine,
    int deadCodeSteps,
    int kmeansIterations,
    String device,
    int intraOpThreads,
    int interOpThreads) {

  public QuasidConfig {
    encoderHidden = encoderHidden.clone();
    validate(inputDim, encoderHidden, latentDim, levels, codebookSize, temperature, partialRadius);
    require(learningRate > 0, "learningRate must be > 0, got " + learningRate);
    require(
        codebookLearningRate > 0, "codebookLearningRate must be > 0, got " + codebookLearningRate);
  }

  private static void validate(
      int inputDim,
      int[] hidden,
      int latentDim,
      int levels,
      int codebookSize,
      float temperature,
      int partialRadius) {
    require(inputDim > 0, "inputDim must be > 0, got " + inputDim);
    require(latentDim > 0, "latentDim must be > 0, got " + latentDim);
    require(levels > 0, "levels must be > 0, got " + levels);
    require(codebookSize > 1, "codebookSize must be > 1, got " + codebookSize);
    require(temperature > 0, "temperature must be > 0, got " + temperature);
    require(
        partialRadius >= 1 && partialRadius < levels || levels == 1,
        "partialRadius must be in [1, levels), got " + partialRadius);
    for (int h : hidden) {
      require(h > 0, "encoder hidden sizes must be > 0: " + Arrays.toString(hidden));
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
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
    private boolean maskSameGroup = true;
    private boolean maskNearDuplicates = false;
    private float nearDuplicateCosine = 0.98f;
    private int deadCodeSteps = 200;
    private int kmeansIterations = 20;
    private String device = "/cpu:0";
    private int intraOpThreads = 1;
    private int interOpThreads = 2;

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
      maskSameGroup = c.maskSameGroup;
      maskNearDuplicates = c.maskNearDuplicates;
      nearDuplicateCosine = c.nearDuplicateCosine;
      deadCodeSteps = c.deadCodeSteps;
      kmeansIterations = c.kmeansIterations;
      device = c.device;
      intraOpThreads = c.intraOpThreads;
      interOpThreads = c.interOpThreads;
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
          maskSameGroup,
          maskNearDuplicates,
          nearDuplicateCosine,
          deadCodeSteps,
          kmeansIterations,
          device,
          intraOpThreads,
          interOpThreads);
    }
  }
}
