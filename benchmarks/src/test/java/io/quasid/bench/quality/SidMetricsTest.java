package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SidMetricsTest {

  /** Six items, two levels, codebook of 4: buckets {A,A,A}, {B,B}, {C}. */
  private static final int[][] CODES = {{0, 1}, {0, 1}, {0, 1}, {0, 2}, {0, 2}, {3, 1}};

  @Test
  void countsCollisionsAsLetterDoes() {
    SidMetrics m = SidMetrics.of(CODES, 4);

    assertThat(m.items()).isEqualTo(6);
    assertThat(m.distinctSids()).isEqualTo(3);
    assertThat(m.collidingItems()).isEqualTo(3);
    assertThat(m.collisionRate()).isEqualTo(0.5);
    assertThat(m.distinctRatio()).isEqualTo(0.5);
    assertThat(m.itemsInSharedSids()).isEqualTo(5);
    assertThat(m.largestBucket()).isEqualTo(3);
  }

  @Test
  void entropiesMatchHandComputation() {
    SidMetrics m = SidMetrics.of(CODES, 4);

    double composition =
        -(0.5 * Math.log(0.5) + (2 / 6.0) * Math.log(2 / 6.0) + (1 / 6.0) * Math.log(1 / 6.0));
    assertThat(m.compositionEntropy()).isCloseTo(composition, within(1e-12));
    // level 0: codes 0 x5, 3 x1; level 1: codes 1 x4, 2 x2
    double h0 = -(5 / 6.0 * Math.log(5 / 6.0) + 1 / 6.0 * Math.log(1 / 6.0));
    double h1 = -(4 / 6.0 * Math.log(4 / 6.0) + 2 / 6.0 * Math.log(2 / 6.0));
    assertThat(m.perplexity()[0]).isCloseTo(Math.exp(h0), within(1e-12));
    assertThat(m.perplexity()[1]).isCloseTo(Math.exp(h1), within(1e-12));
    assertThat(m.utilisation()).containsExactly(0.5, 0.5);
  }

  @Test
  void uniqueUniformCodesHaveNoCollisionAndFullPerplexity() {
    int[][] codes = {{0, 0}, {1, 1}, {2, 2}, {3, 3}};

    SidMetrics m = SidMetrics.of(codes, 4);

    assertThat(m.collisionRate()).isZero();
    assertThat(m.largestBucket()).isEqualTo(1);
    assertThat(m.compositionEntropy()).isCloseTo(Math.log(4), within(1e-12));
    assertThat(m.perplexity()[1]).isCloseTo(4, within(1e-9));
    assertThat(SidMetrics.levelCounts(codes, 0, 4)).containsExactly(1, 1, 1, 1);
  }
}
