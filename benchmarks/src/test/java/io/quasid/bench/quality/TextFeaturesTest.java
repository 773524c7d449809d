package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TextFeaturesTest {

  @Test
  void tokensAreLowerCasedAlphanumericRuns() {
    assertThat(TextFeatures.tokens("SUPCO SPP6 Relay/Capacitor, 500%!"))
        .containsExactly("supco", "spp6", "relay", "capacitor", "500");
  }

  @Test
  void tfidfDropsRareTermsWeightsDownCommonOnesAndNormalisesRows() {
    String[] docs = {
      "tape tape red common", "tape blue common", "glue blue common", "unique common"
    };

    TextFeatures.Sparse m = TextFeatures.tfidf(docs, 2);

    // "red" and "unique" are in one document only; "tape", "common", "blue", "glue"? glue once too.
    assertThat(m.cols()).isEqualTo(3);
    for (int r = 0; r < 3; r++) {
      double ss = 0;
      for (int p = m.rowStart()[r]; p < m.rowStart()[r + 1]; p++) {
        ss += m.value()[p] * m.value()[p];
      }
      assertThat(ss).isCloseTo(1.0, within(1e-12));
    }
    // Document 0: "tape" (tf 2, df 2) outweighs "common" (tf 1, df 4).
    double tape = 0;
    double common = 0;
    for (int p = m.rowStart()[0]; p < m.rowStart()[1]; p++) {
      if (m.col()[p] == 1) {
        tape = m.value()[p];
      } else {
        common = m.value()[p];
      }
    }
    assertThat(tape).isGreaterThan(common);
    // A document with only one kept term is a unit vector on it.
    assertThat(m.rowStart()[4] - m.rowStart()[3]).isEqualTo(1);
  }

  @Test
  void symmetricEigenMatchesAKnownDecomposition() {
    double[][] m = {{2, 1, 0}, {1, 2, 0}, {0, 0, 5}};
    double[][] v = new double[3][3];

    double[] values = TextFeatures.symmetricEigen(m, v);

    assertThat(values).containsExactly(new double[] {5, 3, 1}, within(1e-10));
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < 3; i++) {
        double mv = 0;
        for (int j = 0; j < 3; j++) {
          mv += m[i][j] * v[j][c];
        }
        assertThat(mv).isCloseTo(values[c] * v[i][c], within(1e-10));
      }
    }
  }

  @Test
  void randomizedSvdRecoversAnExactLowRankSpectrum() {
    // 40 x 30 matrix of rank 3, singular values 6, 3 and 1 on orthogonal supports.
    int rows = 40;
    int cols = 30;
    double[][] dense = new double[rows][cols];
    double[] sigma = {6, 3, 1};
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < 10; i++) {
        for (int j = 0; j < 10; j++) {
          dense[k * 10 + i][k * 10 + j] = sigma[k] / 10.0;
        }
      }
    }
    TextFeatures.Sparse a = sparse(dense);

    TextFeatures.Svd svd = TextFeatures.truncatedSvd(a, 3, 1);

    assertThat(svd.singularValues()).containsExactly(sigma, within(1e-8));
    // Scores are A V: row norms equal the rows' norms in A when the rank is captured.
    double[] s = svd.scores()[0];
    assertThat(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]).isCloseTo(10 * 0.6 * 0.6, within(1e-8));
  }

  @Test
  void similarDocumentsGetSimilarFeatures() {
    String[] docs = new String[60];
    for (int i = 0; i < 60; i++) {
      docs[i] =
          i % 2 == 0
              ? "copper wire cable electrical gauge " + (i % 3 == 0 ? "spool" : "reel")
              : "nitrile gloves lab safety disposable " + (i % 3 == 0 ? "box" : "pack");
    }

    float[][] f = TextFeatures.tfidfSvd(docs, 4, 3);

    assertThat(Math.sqrt(dot(f[0], f[0]))).isCloseTo(TextFeatures.ROW_NORM, within(1e-4));
    assertThat(dot(f[0], f[2])).isGreaterThan(dot(f[0], f[1]) + 1);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static TextFeatures.Sparse sparse(double[][] d) {
    int rows = d.length;
    int cols = d[0].length;
    int[] start = new int[rows + 1];
    java.util.List<Integer> c = new java.util.ArrayList<>();
    java.util.List<Double> v = new java.util.ArrayList<>();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        if (d[i][j] != 0) {
          c.add(j);
          v.add(d[i][j]);
        }
      }
      start[i + 1] = c.size();
    }
    return new TextFeatures.Sparse(
        rows,
        cols,
        start,
        c.stream().mapToInt(Integer::intValue).toArray(),
        v.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
