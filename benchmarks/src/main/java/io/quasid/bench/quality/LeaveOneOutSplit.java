package io.quasid.bench.quality;

import java.util.Arrays;

/**
 * Leave-one-out split of user sequences as in TIGER/LETTER: the last item of each user is the test
 * target, the second to last the validation target, the rest is training data. Users with fewer
 * than 3 items are dropped (none in the 5-core data).
 *
 * @param train training prefix of each user, {@code sequence[0, n-2)}
 * @param validationTargets {@code sequence[n-2]}, predicted from {@code train}
 * @param testTargets {@code sequence[n-1]}, predicted from {@code sequence[0, n-1)}
 * @param testHistories {@code sequence[0, n-1)}, the training prefix plus the validation item
 */
public record LeaveOneOutSplit(
    int[][] train, int[] validationTargets, int[] testTargets, int[][] testHistories) {

  public static LeaveOneOutSplit of(int[][] sequences) {
    int[][] kept = Arrays.stream(sequences).filter(s -> s.length >= 3).toArray(int[][]::new);
    int users = kept.length;
    int[][] train = new int[users][];
    int[][] testHistories = new int[users][];
    int[] validation = new int[users];
    int[] test = new int[users];
    for (int u = 0; u < users; u++) {
      int[] s = kept[u];
      train[u] = Arrays.copyOf(s, s.length - 2);
      testHistories[u] = Arrays.copyOf(s, s.length - 1);
      validation[u] = s[s.length - 2];
      test[u] = s[s.length - 1];
    }
    return new LeaveOneOutSplit(train, validation, test, testHistories);
  }

  public int numUsers() {
    return train.length;
  }

  /** Number of next-item training examples: every position after the first of each prefix. */
  public long trainExamples() {
    return Arrays.stream(train).mapToLong(s -> Math.max(0, s.length - 1)).sum();
  }
}
