package io.quasid.bench.quality;

import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import io.quasid.model.ResidualKMeans;
import io.quasid.model.TrainResult;
import java.io.PrintStream;
import java.util.Arrays;

/** Runs one tokenizer variant through model-bridge under a shared {@link TokenizerBudget}. */
public final class TokenizerTrainer {

  private final CatalogueData data;
  private final int[][] pairs;
  private final TokenizerBudget budget;
  private final PrintStream out;

  public TokenizerTrainer(
      CatalogueData data, int[][] pairs, TokenizerBudget budget, PrintStream out) {
    this.data = data;
    this.pairs = pairs;
    this.budget = budget;
    this.out = out;
  }

  public QuasidConfig baseConfig() {
    return baseConfig(budget.seed());
  }

  /** The shared budget under tokenizer seed {@code seed}. */
  public QuasidConfig baseConfig(long seed) {
    return budget
        .recipe()
        .apply(
            QuasidConfig.builder(data.vectors()[0].length)
                .levels(budget.levels())
                .codebookSize(budget.codebookSize())
                .learningRate(budget.learningRate())
                .seed(seed)
                .build());
  }

  public TokenizerOutcome run(TokenizerVariant variant) {
    return run(variant, budget.seed());
  }

  /** One variant under tokenizer seed {@code seed} (weights, k-means and batches). */
  public TokenizerOutcome run(TokenizerVariant variant, long seed) {
    return variant.trained() ? train(variant, seed) : residualKMeans(variant, seed);
  }

  private TokenizerOutcome train(TokenizerVariant variant, long seed) {
    QuasidConfig config = variant.configure(baseConfig(seed));
    TokenizerBatches batches = new TokenizerBatches(data, pairs, budget.batchSize(), seed);
    TokenizerOutcome.TierCounts.Accumulator tiers = new TokenizerOutcome.TierCounts.Accumulator();
    double[] loss = new double[budget.steps()];
    int points = budget.steps() / budget.evalEvery() + 2;
    int[] evalSteps = new int[points];
    double[] rates = new double[points];
    int evals = 0;
    Progress progress =
        new Progress(out, "tokenizer " + variant.label() + " seed " + seed, budget.steps());
    long trainNanos = 0;
    boolean keepBest = budget.recipe().checkpoint() == TokenizerRecipe.Checkpoint.MIN_COLLISION;
    int[][] best = null;
    double bestRate = Double.POSITIVE_INFINITY;
    int bestStep = 0;
    try (QuasidModel model = QuasidModel.create(config)) {
      long t0 = System.nanoTime();
      model.initCodebooks(data.vectors());
      trainNanos += System.nanoTime() - t0;
      evalSteps[evals] = 0;
      rates[evals++] = collisionRate(model.encode(data.vectors()).codes());
      for (int step = 1; step <= budget.steps(); step++) {
        var batch = batches.next();
        long s0 = System.nanoTime();
        TrainResult r = model.trainStep(batch);
        trainNanos += System.nanoTime() - s0;
        if (!r.isFinite()) {
          throw new IllegalStateException(
              variant.label() + ": non-finite loss at step " + step + ": " + r);
        }
        loss[step - 1] = r.total();
        tiers.add(r.fullCollisionPairs(), r.partialCollisionPairs());
        if (step % budget.evalEvery() == 0 || step == budget.steps()) {
          int[][] evaluated = model.encode(data.vectors()).codes();
          evalSteps[evals] = step;
          rates[evals] = collisionRate(evaluated);
          if (keepBest && rates[evals] < bestRate) {
            best = evaluated;
            bestRate = rates[evals];
            bestStep = step;
          }
          if (step % (budget.evalEvery() * 5) != 0 && step != budget.steps()) {
            evals++;
            continue;
          }
          progress.report(
              step,
              String.format(
                  "loss %.4f (rec %.4f, rq %.4f, cl %.4f, rep %.4f/%.4f), pairs %d/%d,"
                      + " catalogue collision rate %.4f",
                  r.total(),
                  r.reconstruction(),
                  r.quantization(),
                  r.contrastive(),
                  r.repulsionFull(),
                  r.repulsionPartial(),
                  r.fullCollisionPairs(),
                  r.partialCollisionPairs(),
                  rates[evals]));
          evals++;
        }
      }
      long e0 = System.nanoTime();
      int[][] codes = model.encode(data.vectors()).codes();
      double encodeSeconds = (System.nanoTime() - e0) / 1e9;
      if (best != null) {
        out.printf(
            "[tokenizer %s seed %d] keeps the codes of step %d (catalogue collision rate %.4f)%n",
            variant.label(), seed, bestStep, bestRate);
        codes = best;
      }
      double trainSeconds = trainNanos / 1e9;
      return new TokenizerOutcome(
          variant,
          seed,
          codes,
          new TrainingCurve(loss, Arrays.copyOf(evalSteps, evals), Arrays.copyOf(rates, evals)),
          trainSeconds,
          (double) budget.steps() * budget.batchSize() / trainSeconds,
          data.numItems() / encodeSeconds,
          budget.steps() == 0 ? Double.NaN : loss[budget.steps() - 1],
          tiers.counts());
    }
  }

  private double collisionRate(int[][] codes) {
    return SidMetrics.of(codes, budget.codebookSize()).collisionRate();
  }

  private TokenizerOutcome residualKMeans(TokenizerVariant variant, long seed) {
    float[][] x = data.vectors();
    QuasidConfig config = baseConfig(seed);
    out.printf(
        "[tokenizer %s] residual k-means, %d levels x %d codes, %d Lloyd iterations%n",
        variant.label(), budget.levels(), budget.codebookSize(), config.kmeansIterations());
    long t0 = System.nanoTime();
    float[][][] codebooks =
        ResidualKMeans.fit(
            x, budget.levels(), budget.codebookSize(), config.kmeansIterations(), seed);
    double fitSeconds = (System.nanoTime() - t0) / 1e9;
    long e0 = System.nanoTime();
    int[][] codes = assign(x, codebooks);
    double encodeSeconds = (System.nanoTime() - e0) / 1e9;
    return new TokenizerOutcome(
        variant,
        seed,
        codes,
        TrainingCurve.EMPTY,
        fitSeconds,
        x.length / fitSeconds,
        x.length / encodeSeconds,
        Double.NaN,
        null);
  }

  static int[][] assign(float[][] x, float[][][] codebooks) {
    int[][] codes = new int[x.length][codebooks.length];
    for (int i = 0; i < x.length; i++) {
      float[] r = x[i].clone();
      for (int l = 0; l < codebooks.length; l++) {
        int c = ResidualKMeans.nearest(r, codebooks[l]);
        codes[i][l] = c;
        for (int d = 0; d < r.length; d++) {
          r[d] -= codebooks[l][c][d];
        }
      }
    }
    return codes;
  }
}
