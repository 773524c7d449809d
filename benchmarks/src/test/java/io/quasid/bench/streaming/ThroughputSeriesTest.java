package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThroughputSeriesTest {

  @Test
  void bucketsBySecondAndSmoothsOverAWindow() {
    ThroughputSeries s = new ThroughputSeries(10_000);
    s.add(10_100, 4); // second 0
    s.add(12_999, 2); // second 2
    s.add(13_000, 6); // second 3
    s.add(9_000, 1); // before the start: counted in second 0
    assertThat(s.seconds()).isEqualTo(4);
    assertThat(s.smoothed(1)).containsExactly(5, 0, 2, 6);
    // Window 2: (5)/1, (5+0)/2, (0+2)/2, (2+6)/2
    assertThat(s.smoothed(2)).containsExactly(5, 2.5, 1, 4);
  }

  @Test
  void growsPastItsInitialCapacity() {
    ThroughputSeries s = new ThroughputSeries(0);
    s.add(500_000, 3);
    assertThat(s.seconds()).isEqualTo(501);
    assertThat(s.smoothed(1)[500]).isEqualTo(3);
  }
}
