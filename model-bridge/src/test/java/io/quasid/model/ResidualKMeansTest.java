package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

class ResidualKMeansTest {

  private static final float[][] TWO_BLOBS = {
    {0, 0}, {0.2f, 0}, {0, 0.2f}, {10, 10}, {10.2f, 10}, {10, 10.2f}
  };

  @Test
  void firstLevelFindsClusterMeansAndSecondLevelTheResiduals() {
    float[][][] books = ResidualKMeans.fit(TWO_BLOBS, 2, 2, 10, 7);
    float[][] level0 = books[0].clone();
    Arrays.sort(level0, Comparator.comparingDouble(c -> c[0]));
    assertThat(level0[0][0]).isCloseTo(0.0667f, within(1e-3f));
    assertThat(level0[1][0]).isCloseTo(10.0667f, within(1e-3f));
    // second-level codes live at the scale of the within-cluster residuals
    for (float[] c : books[1]) {
      assertThat(Math.abs(c[0]) + Math.abs(c[1])).isLessThan(0.5f);
    }
  }

  @Test
  void sameSeedSameCodebooks() {
    float[][] x = SyntheticData.clustered(50, 5, 4, 0.3f, 3);
    assertThat(ResidualKMeans.fit(x, 3, 8, 5, 11))
        .isDeepEqualTo(ResidualKMeans.fit(x, 3, 8, 5, 11));
  }

  @Test
  void fewerPointsThanCodesStillGivesDistinctCodes() {
    float[][][] books = ResidualKMeans.fit(new float[][] {{1, 1}, {2, 2}}, 1, 4, 3, 1);
    assertThat(books[0]).hasNumberOfRows(4);
    assertThat(Arrays.stream(books[0]).map(Arrays::toString).distinct().count()).isEqualTo(4);
  }

  @Test
  void withNoMoreRowsThanCodesDeeperLevelsStillFitTheResiduals() {
    // 16 points, 16 codes per level: fitting one centroid per point would zero every residual and
    // leave levels 1 and 2 as jitter around zero that puts every point on the same code.
    float[][] x = SyntheticData.clustered(16, 4, 6, 0.5f, 9);
    float[][][] books = ResidualKMeans.fit(x, 3, 16, 10, 5);
    assertThat(ResidualKMeans.fittedCentroids(16, 16)).isEqualTo(8);
    float[][] residual = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      residual[i] = x[i].clone();
    }
    for (int l = 0; l < 3; l++) {
      int[] codes = new int[x.length];
      double before = 0;
      double after = 0;
      for (int i = 0; i < x.length; i++) {
        codes[i] = ResidualKMeans.nearest(residual[i], books[l]);
        before += norm2(residual[i]);
        for (int d = 0; d < residual[i].length; d++) {
          residual[i][d] -= books[l][codes[i]][d];
        }
        after += norm2(residual[i]);
      }
      assertThat(Arrays.stream(codes).distinct().count())
          .as("codes used at level " + l)
          .isGreaterThan(1);
      assertThat(after).as("level " + l + " explains part of its residual").isLessThan(before);
      assertThat(after).as("level " + l + " leaves a residual").isPositive();
    }
  }

  @Test
  void withMoreRowsThanCodesEveryCodeIsFitted() {
    assertThat(ResidualKMeans.fittedCentroids(17, 16)).isEqualTo(16);
    assertThat(ResidualKMeans.fittedCentroids(1, 16)).isEqualTo(1);
  }

  private static double norm2(float[] v) {
    double s = 0;
    for (float f : v) {
      s += (double) f * f;
    }
    return s;
  }

  @Test
  void nearestPicksClosestCentroid() {
    assertThat(ResidualKMeans.nearest(new float[] {9, 9}, new float[][] {{0, 0}, {10, 10}}))
        .isEqualTo(1);
  }
}
