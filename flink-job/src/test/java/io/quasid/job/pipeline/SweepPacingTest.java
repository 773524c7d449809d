package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SweepPacingTest {

  private static final long MS = 1_000_000;

  /** One slice from {@code start} taking {@code tookMs}; returns the pause it sets. */
  private static long slice(SweepPacing pacing, long start, long tookMs) {
    return slice(pacing, start, tookMs, false);
  }

  private static long slice(SweepPacing pacing, long start, long tookMs, boolean backpressured) {
    pacing.sliceStarts(start);
    return pacing.pauseAfterSlice(start + tookMs * MS, backpressured);
  }

  @Test
  void aQuietInputLeavesTheSweepNoPause() {
    SweepPacing pacing = new SweepPacing(0.5);
    long t = 0;
    for (int i = 0; i < 5; i++) {
      long pause = slice(pacing, t, 20);
      assertThat(pause).as("slice %d", i).isEqualTo(SweepPacing.MIN_PAUSE_MILLIS);
      t += (20 + pause) * MS;
    }
  }

  @Test
  void aBackloggedInputGetsItsShareWithinAFewSlices() {
    SweepPacing pacing = new SweepPacing(0.5);
    long t = 0;
    long pause = slice(pacing, t, 20);
    t += 20 * MS;
    for (int i = 0; i < 8; i++) {
      // Records are handled right up to the slice's timer: the input never ran dry.
      t += pause * MS;
      pacing.inputHandled(t - 10_000);
      pause = slice(pacing, t, 20);
      t += 20 * MS;
    }
    assertThat(pause).as("capped at t * (1 - share) / share").isEqualTo(20);
  }

  @Test
  void anInputThatRunsDryEarlyGetsTwiceWhatItUsed() {
    SweepPacing pacing = new SweepPacing(0.5);
    long t = 0;
    slice(pacing, t, 40);
    t += 40 * MS;
    pacing.inputHandled(t + 3 * MS); // busy 3 ms of a 40 ms pause, then quiet
    t += 40 * MS;
    assertThat(slice(pacing, t, 40)).isEqualTo(6);
  }

  @Test
  void theShareCapsEveryPause() {
    SweepPacing pacing = new SweepPacing(0.8);
    long t = 0;
    slice(pacing, t, 40);
    t += 40 * MS;
    t += 50 * MS;
    pacing.inputHandled(t - 10_000);
    assertThat(slice(pacing, t, 40)).as("40 * 0.2 / 0.8").isEqualTo(10);
    assertThat(new SweepPacing(1.0)).satisfies(p -> assertThat(slice(p, 0, 40)).isEqualTo(1));
  }

  @Test
  void aNewSweepForgetsTheInputOfTheLastOne() {
    SweepPacing pacing = new SweepPacing(0.5);
    slice(pacing, 0, 20);
    pacing.inputHandled(30 * MS);
    pacing.reset();
    assertThat(slice(pacing, 31 * MS, 20)).isEqualTo(SweepPacing.MIN_PAUSE_MILLIS);
  }

  @Test
  void aSliceThatLeavesTheOutputFullGetsTheWholeCapThoughNoInputCame() {
    SweepPacing pacing = new SweepPacing(0.5);
    assertThat(slice(pacing, 0, 20, true)).isEqualTo(20);
    assertThat(slice(pacing, 40 * MS, 20, false)).isEqualTo(SweepPacing.MIN_PAUSE_MILLIS);
  }
}
