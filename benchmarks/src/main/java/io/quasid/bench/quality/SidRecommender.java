package io.quasid.bench.quality;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A small next-item recommender that sees items only through their Semantic IDs.
 *
 * <p>Item i with codes {@code (c_1..c_L)} has an input vector {@code sum_l In_l[c_l]} and an output
 * vector {@code sum_l Out_l[c_l]} with a bias {@code sum_l b_l[c_l]}. A user is the weighted sum of
 * the input vectors of their last {@code n} items, one learned weight per recency position (an
 * attention-free weighted mean). Every item of the catalogue is scored by dot product and trained
 * with the full softmax cross-entropy. Because a logit is a sum over levels, its exponential is a
 * product of per-code exponentials: the softmax over all items costs {@code L*K} exponentials and
 * {@code N*L} multiplications, and its gradient flows to codes by summing item probabilities per
 * code. Not thread-safe.
 */
public final class SidRecommender {

  private final int[][] codesByLevel;
  private final int[][] usedCodes;
  private final int items;
  private final int levels;
  private final int codebookSize;
  private final int dim;
  private final int historyLength;
  private final int inOffset;
  private final int outOffset;
  private final int biasOffset;
  private final int positionOffset;
  private final double[] params;
  private final RecommenderConfig config;

  private final double[] user;
  private final double[] userGrad;
  private final double[] codeScores;
  private final double[] codeExp;
  private final double[] codeGrad;
  private final double[] itemWeight;

  /**
   * @param itemCodes {@code [items][levels]}, codes in {@code [0, codebookSize)}
   */
  public SidRecommender(int[][] itemCodes, int codebookSize, RecommenderConfig config, long seed) {
    this.items = itemCodes.length;
    this.levels = itemCodes[0].length;
    this.codebookSize = codebookSize;
    this.config = config;
    this.dim = config.dim();
    this.historyLength = config.historyLength();
    this.codesByLevel = new int[levels][items];
    for (int i = 0; i < items; i++) {
      for (int l = 0; l < levels; l++) {
        int c = itemCodes[i][l];
        if (c < 0 || c >= codebookSize) {
          throw new IllegalArgumentException("code " + c + " of item " + i + " out of range");
        }
        codesByLevel[l][i] = c;
      }
    }
    this.usedCodes = new int[levels][];
    for (int l = 0; l < levels; l++) {
      boolean[] used = new boolean[codebookSize];
      for (int c : codesByLevel[l]) {
        used[c] = true;
      }
      usedCodes[l] = IntStream.range(0, codebookSize).filter(k -> used[k]).toArray();
    }
    int table = levels * codebookSize * dim;
    this.inOffset = 0;
    this.outOffset = table;
    this.biasOffset = 2 * table;
    this.positionOffset = biasOffset + levels * codebookSize;
    this.params = new double[positionOffset + historyLength];
    Random random = new Random(seed);
    for (int i = 0; i < biasOffset; i++) {
      params[i] = random.nextGaussian() * config.initStd();
    }
    for (int p = 0; p < historyLength; p++) {
      params[positionOffset + p] = 1.0 / historyLength;
    }
    this.user = new double[dim];
    this.userGrad = new double[dim];
    this.codeScores = new double[levels * codebookSize];
    this.codeExp = new double[levels * codebookSize];
    this.codeGrad = new double[levels * codebookSize];
    this.itemWeight = new double[items];
  }

  /**
   * The same parameters (one embedding per code and level, biases, position weights) reading the
   * items through {@code itemCodes} instead: a recommender whose tokenizer re-labelled the
   * catalogue, as a consumer that does not retrain sees it.
   */
  public SidRecommender onCodes(int[][] itemCodes) {
    SidRecommender moved = new SidRecommender(itemCodes, codebookSize, config, 0);
    System.arraycopy(params, 0, moved.params, 0, params.length);
    return moved;
  }

  public int parameterCount() {
    return params.length;
  }

  double[] parameters() {
    return params;
  }

  /**
   * Adds the gradient of the cross-entropy of predicting {@code target} after {@code history} to
   * {@code grad} and returns the loss. Only the last {@link RecommenderConfig#historyLength()}
   * items of {@code history[from, to)} are used, most recent last.
   */
  public double accumulateGradient(int[] history, int from, int to, int target, double[] grad) {
    int first = Math.max(from, to - historyLength);
    userVector(history, first, to);
    scoreCodes();
    double logZ = softmaxOverItems();
    double targetLogit = 0;
    for (int l = 0; l < levels; l++) {
      int idx = l * codebookSize + codesByLevel[l][target];
      targetLogit += codeScores[idx];
      codeGrad[idx] -= 1;
    }
    Arrays.fill(userGrad, 0);
    for (int l = 0; l < levels; l++) {
      for (int k : usedCodes[l]) {
        int idx = l * codebookSize + k;
        double g = codeGrad[idx];
        int row = outOffset + idx * dim;
        for (int d = 0; d < dim; d++) {
          grad[row + d] += g * user[d];
          userGrad[d] += g * params[row + d];
        }
        grad[biasOffset + idx] += g;
      }
    }
    for (int j = to - 1, p = 0; j >= first; j--, p++) {
      int item = history[j];
      double weight = params[positionOffset + p];
      double dot = 0;
      for (int l = 0; l < levels; l++) {
        int row = inOffset + (l * codebookSize + codesByLevel[l][item]) * dim;
        dot += dot(userGrad, params, row);
        for (int d = 0; d < dim; d++) {
          grad[row + d] += weight * userGrad[d];
        }
      }
      grad[positionOffset + p] += dot;
    }
    return logZ - targetLogit;
  }

  /**
   * Logits of every item for the user {@code history[from, to)}; items with the same full SID get
   * bit-identical logits.
   */
  public double[] logits(int[] history, int from, int to) {
    userVector(history, Math.max(from, to - historyLength), to);
    scoreCodes();
    double[] out = new double[items];
    for (int l = 0; l < levels; l++) {
      int[] codes = codesByLevel[l];
      int base = l * codebookSize;
      for (int i = 0; i < items; i++) {
        out[i] += codeScores[base + codes[i]];
      }
    }
    return out;
  }

  /** Full-ranking Recall/NDCG of {@code targets[u]} given {@code histories[u]} (all of it). */
  public RankingSummary evaluate(int[][] histories, int[] targets) {
    RankingSummary.Accumulator acc = new RankingSummary.Accumulator();
    for (int u = 0; u < histories.length; u++) {
      double[] logits = logits(histories[u], 0, histories[u].length);
      long[] rank = rank(logits, targets[u]);
      acc.add(rank[0], rank[1]);
    }
    return acc.summary();
  }

  /**
   * Test ranking of every user twice: with the plain sum-of-codes logits (summary and per-user
   * scores) and with cold items rescored by {@code prefix} (per-user scores).
   */
  public TestRanking evaluateTest(int[][] histories, int[] targets, PrefixScorer prefix) {
    RankingSummary.Accumulator acc = new RankingSummary.Accumulator();
    UserScores sum = UserScores.of(histories.length);
    UserScores byPrefix = UserScores.of(histories.length);
    for (int u = 0; u < histories.length; u++) {
      double[] logits = logits(histories[u], 0, histories[u].length);
      long[] rank = rank(logits, targets[u]);
      acc.add(rank[0], rank[1]);
      sum.set(u, rank[0], rank[1]);
      if (prefix.hasColdItems()) {
        prefix.apply(logits);
        rank = rank(logits, targets[u]);
      }
      byPrefix.set(u, rank[0], rank[1]);
    }
    return new TestRanking(acc.summary(), sum, byPrefix);
  }

  /** Summary and per-user scores of the sum scorer, per-user scores of the prefix scorer. */
  public record TestRanking(RankingSummary summary, UserScores sum, UserScores prefix) {}

  /** {@code {items scored above the target, other items tied with it}}. */
  static long[] rank(double[] logits, int target) {
    double t = logits[target];
    long greater = 0;
    long ties = 0;
    for (double s : logits) {
      if (s > t) {
        greater++;
      } else if (s == t) {
        ties++;
      }
    }
    return new long[] {greater, ties - 1};
  }

  private void userVector(int[] history, int first, int to) {
    Arrays.fill(user, 0);
    for (int j = to - 1, p = 0; j >= first; j--, p++) {
      int item = history[j];
      double weight = params[positionOffset + p];
      for (int l = 0; l < levels; l++) {
        int row = inOffset + (l * codebookSize + codesByLevel[l][item]) * dim;
        for (int d = 0; d < dim; d++) {
          user[d] += weight * params[row + d];
        }
      }
    }
  }

  private void scoreCodes() {
    for (int l = 0; l < levels; l++) {
      for (int k : usedCodes[l]) {
        int idx = l * codebookSize + k;
        int row = outOffset + idx * dim;
        codeScores[idx] = params[biasOffset + idx] + dot(user, params, row);
      }
    }
  }

  /**
   * {@code a . b[offset, offset + dim)} with four independent partial sums: the JIT does not
   * vectorise floating-point reductions, and one accumulator makes the loop latency-bound.
   */
  private double dot(double[] a, double[] b, int offset) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int d = 0;
    for (; d + 3 < dim; d += 4) {
      s0 += a[d] * b[offset + d];
      s1 += a[d + 1] * b[offset + d + 1];
      s2 += a[d + 2] * b[offset + d + 2];
      s3 += a[d + 3] * b[offset + d + 3];
    }
    for (; d < dim; d++) {
      s0 += a[d] * b[offset + d];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * Fills {@link #codeGrad} with the softmax probability mass of each code (sum over its items) and
   * returns {@code log Z}. Each level is shifted by its maximum so every factor is at most 1.
   */
  private double softmaxOverItems() {
    double shift = 0;
    for (int l = 0; l < levels; l++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k : usedCodes[l]) {
        max = Math.max(max, codeScores[l * codebookSize + k]);
      }
      for (int k : usedCodes[l]) {
        int idx = l * codebookSize + k;
        codeExp[idx] = Math.exp(codeScores[idx] - max);
      }
      shift += max;
    }
    Arrays.fill(itemWeight, 1.0);
    for (int l = 0; l < levels; l++) {
      int[] codes = codesByLevel[l];
      int base = l * codebookSize;
      for (int i = 0; i < items; i++) {
        itemWeight[i] *= codeExp[base + codes[i]];
      }
    }
    double z = 0;
    for (int i = 0; i < items; i++) {
      z += itemWeight[i];
    }
    Arrays.fill(codeGrad, 0);
    double invZ = 1.0 / z;
    for (int l = 0; l < levels; l++) {
      int[] codes = codesByLevel[l];
      int base = l * codebookSize;
      for (int i = 0; i < items; i++) {
        codeGrad[base + codes[i]] += itemWeight[i] * invZ;
      }
    }
    return Math.log(z) + shift;
  }
}
