package io.quasid.bench.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Item features from item text, computed in process: TF-IDF over lower-cased alphanumeric tokens,
 * then a rank-k truncated SVD by the randomized range finder (Halko, Martinsson and Tropp 2011:
 * Gaussian sketch, power iterations, QR, then the exact SVD of the small projected matrix through
 * the eigen-decomposition of {@code B B^T} by cyclic Jacobi). Plain Java, deterministic per seed.
 */
public final class TextFeatures {

  /** Row norm of the returned features: about the mean norm of the Beauty S3-Rec vectors (3.6). */
  public static final double ROW_NORM = 3.5;

  static final int MIN_DOCUMENT_FREQUENCY = 2;
  static final int OVERSAMPLING = 16;
  static final int POWER_ITERATIONS = 3;

  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+");

  private TextFeatures() {}

  /** CSR sparse matrix, {@code rows x cols}. */
  record Sparse(int rows, int cols, int[] rowStart, int[] col, double[] value) {

    /** {@code this · m}, m dense {@code [cols][k]}. */
    double[][] times(double[][] m) {
      int k = m[0].length;
      double[][] out = new double[rows][k];
      for (int r = 0; r < rows; r++) {
        for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
          double v = value[p];
          double[] src = m[col[p]];
          double[] dst = out[r];
          for (int j = 0; j < k; j++) {
            dst[j] += v * src[j];
          }
        }
      }
      return out;
    }

    /** {@code this^T · m}, m dense {@code [rows][k]}. */
    double[][] transposeTimes(double[][] m) {
      int k = m[0].length;
      double[][] out = new double[cols][k];
      for (int r = 0; r < rows; r++) {
        double[] src = m[r];
        for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
          double v = value[p];
          double[] dst = out[col[p]];
          for (int j = 0; j < k; j++) {
            dst[j] += v * src[j];
          }
        }
      }
      return out;
    }
  }

  /** Rank-k left singular vectors times singular values: {@code [rows][k]}, and the values. */
  record Svd(double[][] scores, double[] singularValues) {}

  /**
   * TF-IDF + truncated SVD of {@code documents}, each row L2-normalised and scaled to {@link
   * #ROW_NORM} (a document with no kept token gets a zero row).
   */
  public static float[][] tfidfSvd(String[] documents, int dim, long seed) {
    Sparse tfidf = tfidf(documents, MIN_DOCUMENT_FREQUENCY);
    Svd svd = truncatedSvd(tfidf, Math.min(dim, Math.min(tfidf.rows(), tfidf.cols())), seed);
    float[][] out = new float[documents.length][dim];
    for (int i = 0; i < documents.length; i++) {
      double[] s = svd.scores()[i];
      double norm = Math.sqrt(dot(s, s));
      for (int j = 0; j < s.length; j++) {
        out[i][j] = norm == 0 ? 0f : (float) (s[j] / norm * ROW_NORM);
      }
    }
    return out;
  }

  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /**
   * Sublinear TF ({@code 1 + ln tf}) times smooth IDF ({@code ln((1 + n) / (1 + df)) + 1}) over
   * terms in at least {@code minDf} documents; rows L2-normalised. Columns in first-seen order.
   */
  static Sparse tfidf(String[] documents, int minDf) {
    int n = documents.length;
    List<Map<String, Integer>> counts = new ArrayList<>(n);
    Map<String, Integer> df = new HashMap<>();
    for (String doc : documents) {
      Map<String, Integer> tf = new HashMap<>();
      for (String t : tokens(doc)) {
        tf.merge(t, 1, Integer::sum);
      }
      for (String t : tf.keySet()) {
        df.merge(t, 1, Integer::sum);
      }
      counts.add(tf);
    }
    Map<String, Integer> column = new HashMap<>();
    List<Double> idf = new ArrayList<>();
    int[] rowStart = new int[n + 1];
    List<int[]> cols = new ArrayList<>();
    List<double[]> vals = new ArrayList<>();
    for (int d = 0; d < n; d++) {
      List<String> terms = new ArrayList<>(counts.get(d).keySet());
      terms.sort(null);
      int[] c = new int[terms.size()];
      double[] v = new double[terms.size()];
      int kept = 0;
      for (String t : terms) {
        int f = df.get(t);
        if (f < minDf) {
          continue;
        }
        Integer j = column.get(t);
        if (j == null) {
          j = column.size();
          column.put(t, j);
          idf.add(Math.log((1.0 + n) / (1.0 + f)) + 1);
        }
        c[kept] = j;
        v[kept] = (1 + Math.log(counts.get(d).get(t))) * idf.get(j);
        kept++;
      }
      double norm = Math.sqrt(dot(Arrays.copyOf(v, kept), Arrays.copyOf(v, kept)));
      for (int p = 0; p < kept; p++) {
        v[p] /= norm;
      }
      cols.add(Arrays.copyOf(c, kept));
      vals.add(Arrays.copyOf(v, kept));
      rowStart[d + 1] = rowStart[d] + kept;
    }
    int[] col = new int[rowStart[n]];
    double[] value = new double[rowStart[n]];
    for (int d = 0; d < n; d++) {
      System.arraycopy(cols.get(d), 0, col, rowStart[d], cols.get(d).length);
      System.arraycopy(vals.get(d), 0, value, rowStart[d], vals.get(d).length);
    }
    return new Sparse(n, column.size(), rowStart, col, value);
  }

  /** Randomized rank-k SVD of {@code a}: scores {@code U_k Σ_k} and {@code σ_1 >= ... >= σ_k}. */
  static Svd truncatedSvd(Sparse a, int k, long seed) {
    int r = Math.min(k + OVERSAMPLING, Math.min(a.rows(), a.cols()));
    Random random = new Random(seed);
    double[][] omega = new double[a.cols()][r];
    for (double[] row : omega) {
      for (int j = 0; j < r; j++) {
        row[j] = random.nextGaussian();
      }
    }
    double[][] q = orthonormalColumns(a.times(omega));
    for (int it = 0; it < POWER_ITERATIONS; it++) {
      double[][] z = orthonormalColumns(a.transposeTimes(q));
      q = orthonormalColumns(a.times(z));
    }
    // B = Q^T A is r x cols; B B^T = Q^T A A^T Q, with A^T Q computed once.
    double[][] atq = a.transposeTimes(q);
    double[][] bbt = new double[r][r];
    for (double[] row : atq) {
      for (int i = 0; i < r; i++) {
        double v = row[i];
        if (v != 0) {
          for (int j = 0; j < r; j++) {
            bbt[i][j] += v * row[j];
          }
        }
      }
    }
    double[][] vectors = new double[r][r];
    double[] values = symmetricEigen(bbt, vectors);
    double[][] scores = new double[a.rows()][k];
    double[] sigma = new double[k];
    for (int c = 0; c < k; c++) {
      sigma[c] = Math.sqrt(Math.max(0, values[c]));
      for (int i = 0; i < a.rows(); i++) {
        double u = 0;
        for (int j = 0; j < r; j++) {
          u += q[i][j] * vectors[j][c];
        }
        scores[i][c] = u * sigma[c];
      }
    }
    return new Svd(scores, sigma);
  }

  /**
   * Orthonormal basis of the columns of {@code y} ({@code [n][r]}, n >= r) by modified Gram-Schmidt
   * applied twice; a column that vanishes is replaced by zeros.
   */
  static double[][] orthonormalColumns(double[][] y) {
    int n = y.length;
    int r = y[0].length;
    double[][] cols = new double[r][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < r; j++) {
        cols[j][i] = y[i][j];
      }
    }
    for (int pass = 0; pass < 2; pass++) {
      for (int j = 0; j < r; j++) {
        for (int p = 0; p < j; p++) {
          double proj = dot(cols[j], cols[p]);
          for (int i = 0; i < n; i++) {
            cols[j][i] -= proj * cols[p][i];
          }
        }
        double norm = Math.sqrt(dot(cols[j], cols[j]));
        for (int i = 0; i < n; i++) {
          cols[j][i] = norm > 1e-12 ? cols[j][i] / norm : 0;
        }
      }
    }
    double[][] q = new double[n][r];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < r; j++) {
        q[i][j] = cols[j][i];
      }
    }
    return q;
  }

  /**
   * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations. Returns the eigenvalues
   * in descending order and writes the matching unit eigenvectors as the columns of {@code
   * vectorsOut}. {@code m} is not modified.
   */
  static double[] symmetricEigen(double[][] m, double[][] vectorsOut) {
    int n = m.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = m[i].clone();
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double total = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          total += a[i][j] * a[i][j];
          if (i != j) {
            off += a[i][j] * a[i][j];
          }
        }
      }
      if (off <= 1e-30 * Math.max(total, 1e-300)) {
        break;
      }
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] == 0) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
    double[] values = new double[n];
    for (int c = 0; c < n; c++) {
      values[c] = a[order[c]][order[c]];
      for (int k = 0; k < n; k++) {
        vectorsOut[k][c] = v[k][order[c]];
      }
    }
    return values;
  }

  private static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }
}
