package io.quasid.bench.quality.generative;

import io.quasid.bench.quality.LeaveOneOutSplit;
import io.quasid.bench.quality.RankingSummary;
import io.quasid.bench.quality.UserScores;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Trains a {@link GenerativeRecommender} on the training sequences of a leave-one-out split (the
 * same split, with the same cold-start items removed, as the proxy recommender) and scores it on
 * the split's test users: history {@code testHistories[u]}, target {@code testTargets[u]}.
 */
public final class GenerativeTrainer {

  /** Users whose validation loss is tracked per epoch: enough for a curve, cheap to run. */
  public static final int VALIDATION_USERS = 2000;

  private final LeaveOneOutSplit split;
  private final GenerativeConfig config;
  private final int[] users;
  private final int[] validationUsers;

  /**
   * @param sampleSeed picks the users when {@link GenerativeConfig#users()} is below the split's
   *     (the same users for every row of a run, so their per-user scores pair up)
   */
  public GenerativeTrainer(LeaveOneOutSplit split, GenerativeConfig config, long sampleSeed) {
    this.split = split;
    this.config = config;
    this.users = sample(split.numUsers(), config.users(), new Random(sampleSeed));
    this.validationUsers =
        Arrays.stream(sample(users.length, VALIDATION_USERS, new Random(sampleSeed + 1)))
            .map(i -> users[i])
            .toArray();
  }

  /** The users trained on and tested, ascending. */
  public int[] users() {
    return users.clone();
  }

  /** Target items per epoch (each training item after the first of a window's context). */
  public long examplesPerEpoch() {
    return new TrainingWindows(select(split.train(), users), config.historyItems()).targets();
  }

  /**
   * @param seed initial weights and batch order
   * @param progress one line per epoch and at the end
   */
  public GenerativeRun run(int[][] codes, int codebookSize, long seed, Consumer<String> progress) {
    try (GenerativeRecommender model =
        new GenerativeRecommender(codes, codebookSize, config, seed)) {
      long start = System.nanoTime();
      TrainingWindows windows = model.windows(select(split.train(), users));
      int[][] validationHistories = select(split.train(), validationUsers);
      int[] validationTargets = select(split.validationTargets(), validationUsers);
      Random random = new Random(seed ^ 0x5DEECE66DL);
      double[] epochLoss = new double[config.epochs()];
      double[] validationLoss = new double[config.epochs()];
      for (int e = 0; e < config.epochs(); e++) {
        epochLoss[e] = model.trainEpoch(windows, random);
        validationLoss[e] = model.loss(validationHistories, validationTargets);
        progress.accept(
            String.format(
                "epoch %d/%d: train loss %.4f, validation loss %.4f",
                e + 1, config.epochs(), epochLoss[e], validationLoss[e]));
      }
      double trainSeconds = (System.nanoTime() - start) / 1e9;
      start = System.nanoTime();
      List<RankedItems> ranked = model.recommend(select(split.testHistories(), users));
      double decodeSeconds = (System.nanoTime() - start) / 1e9;
      RankingSummary.Accumulator summary = new RankingSummary.Accumulator();
      UserScores scores = UserScores.of(users.length);
      for (int i = 0; i < users.length; i++) {
        int rank = ranked.get(i).rankOf(split.testTargets()[users[i]]);
        // Outside the top K: ranked after every recommended item, which scores 0 at K <= 10.
        long greater = rank >= 0 ? rank : codes.length;
        summary.add(greater, 0);
        scores.set(i, greater, 0);
      }
      return new GenerativeRun(
          users.clone(),
          summary.summary(),
          scores,
          epochLoss,
          validationLoss,
          model.parameterCount(),
          trainSeconds,
          decodeSeconds);
    }
  }

  /** {@code count} of {@code 0..n-1} without replacement, ascending; all of them for 0 or >= n. */
  static int[] sample(int n, int count, Random random) {
    if (count == 0 || count >= n) {
      return IntStream.range(0, n).toArray();
    }
    int[] all = IntStream.range(0, n).toArray();
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] picked = Arrays.copyOf(all, count);
    Arrays.sort(picked);
    return picked;
  }

  private static int[][] select(int[][] rows, int[] which) {
    return Arrays.stream(which).mapToObj(u -> rows[u]).toArray(int[][]::new);
  }

  private static int[] select(int[] values, int[] which) {
    return Arrays.stream(which).map(u -> values[u]).toArray();
  }
}
