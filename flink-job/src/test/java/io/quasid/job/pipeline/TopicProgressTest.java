package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class TopicProgressTest {

  private final List<Long> emitted = new ArrayList<>();
  private final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
          emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
      };

  private static RawRecord at(long timestamp) {
    return new RawRecord("items", 0, 0, timestamp, null, new byte[0]);
  }

  @Test
  void aPartitionThatIsReadTrailsItsNewestRecordByTheDelay() {
    ManualClock activity = new ManualClock();
    ManualClock wall = new ManualClock();
    TopicProgress.Generator generator = new TopicProgress.Generator(100, activity, wall);

    generator.onPeriodicEmit(output);
    generator.onEvent(at(5_000), 5_000, output);
    generator.onEvent(at(4_000), 4_000, output);
    generator.onPeriodicEmit(output);
    activity.advanceTime(Duration.ofMillis(99));
    generator.onPeriodicEmit(output);

    assertThat(emitted)
        .as("nothing before the first record, then the newest minus the delay, never back")
        .containsExactly(4_899L);
  }

  @Test
  void aQuietPartitionFollowsTheWallClockButABackPressuredOneDoesNot() {
    ManualClock activity = new ManualClock();
    ManualClock wall = new ManualClock();
    TopicProgress.Generator generator = new TopicProgress.Generator(100, activity, wall);
    generator.onEvent(at(5_000), 5_000, output);

    wall.advanceTime(Duration.ofMillis(60_000));
    generator.onPeriodicEmit(output);
    assertThat(emitted)
        .as("a minute of wall time while back-pressured (input activity stood still)")
        .containsExactly(4_899L);

    activity.advanceTime(Duration.ofMillis(100));
    generator.onPeriodicEmit(output);
    assertThat(emitted)
        .as("no record for the delay of input activity: nothing is left to read before now")
        .containsExactly(4_899L, 59_899L);
  }
}
