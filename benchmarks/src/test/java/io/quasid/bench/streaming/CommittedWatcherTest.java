package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of the benchmark's bookkeeping (no broker). */
class CommittedWatcherTest {

  @Test
  void prefixIsEverythingBeforeTheTrailingDigits() {
    assertThat(CommittedWatcher.prefixOf("item-0000042")).isEqualTo("item-");
    assertThat(CommittedWatcher.prefixOf(SyntheticCatalogue.itemId("lat-", 7))).isEqualTo("lat-");
    assertThat(CommittedWatcher.prefixOf("abc")).isEqualTo("abc");
  }

  @Test
  void steadyRateLeavesOutTheFirstBurstAndNeedsSeveralCommits() {
    CommittedWatcher.PrefixStats p = new CommittedWatcher.PrefixStats();
    p.count = 1_000;
    p.firstBurst = 200;
    p.firstVisible = 10_000;
    p.lastVisible = 14_000;
    // 800 items after the first commit over 4 s.
    assertThat(p.steadyRate(2_000, 3)).isEqualTo(200.0);
    p.lastVisible = 11_000; // less than two intervals after the first commit
    assertThat(p.steadyRate(2_000, 3)).isNaN();
  }

  @Test
  void interactionRateOverTheItemsWindow() {
    List<long[]> samples =
        List.of(
            new long[] {0, 0},
            new long[] {1_000, 100}, // first item output at 1,000
            new long[] {2_000, 100},
            new long[] {3_000, 500},
            new long[] {4_000, 900},
            new long[] {5_000, 900});
    // From the sample at the first output (100 read) to the last growth (900 at 4,000).
    assertThat(StreamingBenchmark.interactionRate(samples, 1_000)).isEqualTo(800 * 1000.0 / 3_000);
    assertThat(StreamingBenchmark.interactionRate(samples, 4_500)).isNaN();
  }

  @Test
  void syntheticVectorsAreReproduciblePerItem() {
    SyntheticCatalogue a = new SyntheticCatalogue(8, 3);
    SyntheticCatalogue b = new SyntheticCatalogue(8, 3);
    assertThat(a.vector(12345)).containsExactly(b.vector(12345));
    assertThat(a.vector(1)).isNotEqualTo(a.vector(2));
    long item = SyntheticCatalogue.interactionItem(5, 2, 1_000, 9);
    assertThat(item % SyntheticCatalogue.CLUSTERS).isEqualTo(5);
    assertThat(item).isBetween(0L, 999L);
  }
}
