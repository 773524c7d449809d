package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankOnHandCheckedSample() {
    // Sorted: 1 2 3 ... 10; nearest rank of q is ceil(q * 10).
    Percentiles p = new Percentiles(new long[] {7, 3, 10, 1, 9, 2, 8, 4, 6, 5});
    assertThat(p.quantile(0.5)).isEqualTo(5);
    assertThat(p.quantile(0.99)).isEqualTo(10);
    assertThat(p.quantile(0.1)).isEqualTo(1);
    assertThat(p.quantile(0.11)).isEqualTo(2);
    assertThat(p.quantile(1.0)).isEqualTo(10);
    assertThat(p.max()).isEqualTo(10);
    assertThat(p.count()).isEqualTo(10);
  }

  @Test
  void p99OfAHundredIsTheNinetyNinth() {
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) {
      values[i] = 100 - i; // 100 .. 1, unsorted on purpose
    }
    assertThat(new Percentiles(values).quantile(0.99)).isEqualTo(99);
  }

  @Test
  void doesNotSortTheCallersArray() {
    long[] values = {3, 1, 2};
    new Percentiles(values);
    assertThat(values).containsExactly(3, 1, 2);
  }

  @Test
  void emptySampleAndBadQuantile() {
    Percentiles empty = new Percentiles(new long[0]);
    assertThat(empty.quantile(0.5)).isEqualTo(-1);
    assertThat(empty.max()).isEqualTo(-1);
    assertThatThrownBy(() -> empty.quantile(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> empty.quantile(1.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
