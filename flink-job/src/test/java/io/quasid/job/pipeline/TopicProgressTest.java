package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

  /** The broker's answers, set by each test: offsets after which nothing readable follows. */
  private final Map<Integer, Long> ends = new HashMap<>();

  private final List<Long> asked = new ArrayList<>();

  private final PartitionEnds broker =
      (topic, partition, nextOffset) -> {
        asked.add(nextOffset);
        Long end = ends.get(partition);
        return CompletableFuture.completedFuture(end != null && nextOffset >= end);
      };

  private static RawRecord at(long offset, long timestamp) {
    return new RawRecord("items", 0, offset, timestamp, null, new byte[0]);
  }

  @Test
  void aPartitionThatIsReadTrailsItsNewestRecordByTheDelay() {
    ManualClock activity = new ManualClock();
    ManualClock wall = new ManualClock();
    TopicProgress.Generator generator = new TopicProgress.Generator(100, broker, activity, wall);

    generator.onPeriodicEmit(output);
    generator.onEvent(at(0, 5_000), 5_000, output);
    generator.onEvent(at(1, 4_000), 4_000, output);
    generator.onPeriodicEmit(output);
    activity.advanceTime(Duration.ofMillis(99));
    generator.onPeriodicEmit(output);

    assertThat(emitted)
        .as("nothing before the first record, then the newest minus the delay, never back")
        .containsExactly(4_899L);
    assertThat(asked).as("no question while records keep coming").isEmpty();
  }

  @Test
  void aPartitionReadToItsEndFollowsTheWallClockButABackPressuredOneDoesNot() {
    ManualClock activity = new ManualClock();
    ManualClock wall = new ManualClock();
    TopicProgress.Generator generator = new TopicProgress.Generator(100, broker, activity, wall);
    generator.onEvent(at(0, 5_000), 5_000, output);
    ends.put(0, 1L);

    wall.advanceTime(Duration.ofMillis(60_000));
    generator.onPeriodicEmit(output);
    assertThat(emitted)
        .as("a minute of wall time while back-pressured (input activity stood still)")
        .containsExactly(4_899L);

    activity.advanceTime(Duration.ofMillis(100));
    generator.onPeriodicEmit(output); // asks
    generator.onPeriodicEmit(output); // takes the answer in
    assertThat(asked).containsExactly(1L);
    assertThat(emitted)
        .as("nothing after the position: read up to when the broker was asked")
        .containsExactly(4_899L, 59_899L);
  }

  @Test
  void aStalledPartitionWithRecordsLeftHoldsTheWatermarkHoweverLongItIsQuiet() {
    ManualClock activity = new ManualClock();
    ManualClock wall = new ManualClock();
    TopicProgress.Generator generator = new TopicProgress.Generator(100, broker, activity, wall);
    wall.advanceTime(Duration.ofMillis(5_000));
    generator.onEvent(at(0, 5_000), 5_000, output);
    ends.put(0, 40L); // 39 items still on their way: a slow fetch, a starved source thread

    for (int i = 0; i < 100; i++) {
      activity.advanceTime(Duration.ofMillis(200));
      wall.advanceTime(Duration.ofMillis(200));
      generator.onPeriodicEmit(output);
    }
    assertThat(emitted)
        .as("20 s without a record but not at its end: the wall clock must not move it")
        .containsExactly(4_899L);
    assertThat(asked).as("asked again once per probe interval").hasSize(100);

    generator.onEvent(at(39, 5_100), 5_100, output);
    activity.advanceTime(Duration.ofMillis(100));
    wall.advanceTime(Duration.ofMillis(100));
    generator.onPeriodicEmit(output);
    generator.onPeriodicEmit(output);
    assertThat(emitted).as("read to its end once its last record came").last().isEqualTo(24_999L);
  }

  @Test
  void anAnswerAboutAnOlderPositionIsNotTaken() {
    ManualClock activity = new ManualClock();
    ManualClock wall = new ManualClock();
    CompletableFuture<Boolean> pending = new CompletableFuture<>();
    TopicProgress.Generator generator =
        new TopicProgress.Generator(100, (t, p, next) -> pending, activity, wall);
    generator.onEvent(at(0, 1_000), 1_000, output);
    wall.advanceTime(Duration.ofMillis(10_000));
    activity.advanceTime(Duration.ofMillis(100));
    generator.onPeriodicEmit(output); // asks about offset 1

    generator.onEvent(at(1, 1_500), 1_500, output); // a record came while the question was open
    pending.complete(true);
    activity.advanceTime(Duration.ofMillis(100));
    generator.onPeriodicEmit(output);

    assertThat(emitted).containsExactly(899L, 1_399L);
  }
}
