package io.quasid.job.pipeline;

import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.Clock;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.util.clock.SystemClock;

/**
 * How far a Kafka topic has been read, as a watermark on its broker timestamps: {@code delay}
 * behind the newest record of each partition, the source taking the minimum over its partitions and
 * every operator the minimum over its inputs. The {@link KnownItemGate} dead-letters an interaction
 * only once both topics have progressed past it, so an item partition that lags in a catch-up holds
 * it back, which a per-subtask "newest item seen" could not (it rejected valid interactions
 * whenever one item partition ran ahead of another, streaming benchmark).
 *
 * <p>A partition with nothing to read must not hold the watermark forever: once it has delivered no
 * record for {@code delay} of input-activity time (which stands still while the source is
 * back-pressured, so a blocked catch-up never counts as quiet), its watermark follows the wall
 * clock, {@code delay} behind. Broker timestamps and the wall clock are compared there, so clock
 * skew between producers and task managers should stay well below {@code delay}.
 */
public final class TopicProgress implements WatermarkStrategy<RawRecord> {

  private static final long serialVersionUID = 1L;

  private final long delayMillis;

  public TopicProgress(long delayMillis) {
    this.delayMillis = delayMillis;
  }

  @Override
  public TimestampAssigner<RawRecord> createTimestampAssigner(
      TimestampAssignerSupplier.Context context) {
    return (record, kafkaTimestamp) -> record.timestamp;
  }

  @Override
  public WatermarkGenerator<RawRecord> createWatermarkGenerator(
      WatermarkGeneratorSupplier.Context context) {
    return new Generator(delayMillis, context.getInputActivityClock(), SystemClock.getInstance());
  }

  /** One partition's watermark; package-private for its test. */
  static final class Generator implements WatermarkGenerator<RawRecord> {
    private final long delayMillis;
    private final RelativeClock activity;
    private final Clock wall;
    private long newest = Long.MIN_VALUE;
    private long lastRecordActivity;
    private long emitted = Long.MIN_VALUE;

    Generator(long delayMillis, RelativeClock activity, Clock wall) {
      this.delayMillis = delayMillis;
      this.activity = activity;
      this.wall = wall;
      this.lastRecordActivity = activity.relativeTimeMillis();
    }

    @Override
    public void onEvent(RawRecord record, long timestamp, WatermarkOutput output) {
      newest = Math.max(newest, timestamp);
      lastRecordActivity = activity.relativeTimeMillis();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      long watermark = newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - delayMillis - 1;
      if (activity.relativeTimeMillis() - lastRecordActivity >= delayMillis) {
        watermark = Math.max(watermark, wall.absoluteTimeMillis() - delayMillis - 1);
      }
      if (watermark > emitted) {
        emitted = watermark;
        output.emitWatermark(new Watermark(watermark));
      }
    }
  }
}
