package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatePacerTest {

  /** A clock that only moves when the pacer sleeps (or the test advances it). */
  private static final class FakeClock {
    long now = 1_000_000L;
    final List<Long> sleeps = new ArrayList<>();

    void sleep(long nanos) {
      sleeps.add(nanos);
      now += nanos;
    }
  }

  @Test
  void releasesEventsAtTheRate() {
    FakeClock clock = new FakeClock();
    RatePacer pacer = new RatePacer(4, () -> clock.now, clock::sleep); // one per 250 ms
    List<Long> releasedAt = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pacer.acquire();
      releasedAt.add(clock.now - 1_000_000L);
    }
    assertThat(releasedAt)
        .containsExactly(0L, 250_000_000L, 500_000_000L, 750_000_000L, 1_000_000_000L);
    assertThat(pacer.released()).isEqualTo(5);
  }

  @Test
  void aLateCallerCatchesUpWithoutSleeping() {
    FakeClock clock = new FakeClock();
    RatePacer pacer = new RatePacer(10, () -> clock.now, clock::sleep); // one per 100 ms
    pacer.acquire();
    clock.now += 350_000_000L; // the sender stalled for 350 ms
    pacer.acquire(); // due at 100 ms
    pacer.acquire(); // due at 200 ms
    pacer.acquire(); // due at 300 ms
    assertThat(clock.sleeps).isEmpty();
    pacer.acquire(); // due at 400 ms: waits the remaining 50 ms
    assertThat(clock.sleeps).containsExactly(50_000_000L);
  }

  @Test
  void refusesNonPositiveRates() {
    assertThatThrownBy(() -> new RatePacer(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RatePacer(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RatePacer(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
