package io.quasid.bench.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Trains a {@link SidRecommender} on every next-item position of the training split. */
public final class RecommenderTrainer {

  private final LeaveOneOutSplit split;
  private final boolean[] cold;
  private final RecommenderConfig config;
  private final long[] examples;

  public RecommenderTrainer(LeaveOneOutSplit split, RecommenderConfig config) {
    this(split, null, config);
  }

  /**
   * @param cold items held out of training (the split must not contain them in its inputs), scored
   *     at test time through {@link PrefixScorer} as well; {@code null} for none
   */
  public RecommenderTrainer(LeaveOneOutSplit split, boolean[] cold, RecommenderConfig config) {
    this.split = split;
    this.cold = cold;
    this.config = config;
    List<Long> list = new ArrayList<>();
    int[][] train = split.train();
    for (int u = 0; u < train.length; u++) {
      for (int t = 1; t < train[u].length; t++) {
        list.add(((long) u << 32) | t);
      }
    }
    this.examples = list.stream().mapToLong(Long::longValue).toArray();
  }

  public long examplesPerEpoch() {
    return examples.length;
  }

  /**
   * @param validateEveryEpoch evaluate the validation split after each epoch (for choosing epochs);
   *     otherwise only after the last
   */
  public RecommenderRun train(
      int[][] codes, int codebookSize, long seed, boolean validateEveryEpoch) {
    long start = System.nanoTime();
    SidRecommender model = new SidRecommender(codes, codebookSize, config, seed);
    Trained trained = epochs(model, config.epochs(), seed, validateEveryEpoch);
    return test(model, codes, trained.validation(), trained.lastEpochLoss(), seed, start);
  }

  /** A recommender trained on {@code codes} for the configured epochs. */
  public SidRecommender fit(int[][] codes, int codebookSize, long seed) {
    SidRecommender model = new SidRecommender(codes, codebookSize, config, seed);
    epochs(model, config.epochs(), seed, false);
    return model;
  }

  /**
   * {@code model} moved onto {@code codes} ({@link SidRecommender#onCodes}) and trained {@code
   * epochs} more with a fresh optimizer (0: scored as it is), then tested.
   */
  public RecommenderRun continueOn(SidRecommender model, int[][] codes, int epochs, long seed) {
    long start = System.nanoTime();
    SidRecommender moved = model.onCodes(codes);
    Trained trained = epochs(moved, epochs, seed, false);
    List<RankingSummary> validation = new ArrayList<>(trained.validation());
    if (validation.isEmpty()) {
      validation.add(moved.evaluate(split.train(), split.validationTargets()));
    }
    return test(
        moved, codes, validation, epochs == 0 ? Double.NaN : trained.lastEpochLoss(), seed, start);
  }

  /** The validation rankings asked for, and the mean loss of the last epoch. */
  private record Trained(List<RankingSummary> validation, double lastEpochLoss) {}

  /** Trains {@code model} for {@code epochs}. */
  private Trained epochs(SidRecommender model, int epochs, long seed, boolean validateEveryEpoch) {
    double[] params = model.parameters();
    double[] grad = new double[params.length];
    AdamOptimizer adam = new AdamOptimizer(params.length, config.learningRate());
    Random random = new Random(seed ^ 0x5DEECE66DL);
    long[] order = examples.clone();
    int[][] train = split.train();
    List<RankingSummary> validation = new ArrayList<>();
    double epochLoss = 0;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      shuffle(order, random);
      epochLoss = 0;
      for (int startIdx = 0; startIdx < order.length; startIdx += config.batchSize()) {
        int end = Math.min(order.length, startIdx + config.batchSize());
        Arrays.fill(grad, 0);
        for (int e = startIdx; e < end; e++) {
          int u = (int) (order[e] >>> 32);
          int t = (int) order[e];
          epochLoss += model.accumulateGradient(train[u], 0, t, train[u][t], grad);
        }
        adam.step(params, grad, 1.0 / (end - startIdx));
      }
      epochLoss /= order.length;
      if (validateEveryEpoch || epoch == epochs) {
        validation.add(model.evaluate(train, split.validationTargets()));
      }
    }
    return new Trained(validation, epochLoss);
  }

  private RecommenderRun test(
      SidRecommender model,
      int[][] codes,
      List<RankingSummary> validation,
      double loss,
      long seed,
      long start) {
    PrefixScorer prefix = new PrefixScorer(codes, cold != null ? cold : new boolean[codes.length]);
    SidRecommender.TestRanking test =
        model.evaluateTest(split.testHistories(), split.testTargets(), prefix);
    return new RecommenderRun(
        seed,
        model.parameterCount(),
        List.copyOf(validation),
        test.summary(),
        test.sum(),
        test.prefix(),
        loss,
        (System.nanoTime() - start) / 1e9);
  }

  private static void shuffle(long[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
  }
}
