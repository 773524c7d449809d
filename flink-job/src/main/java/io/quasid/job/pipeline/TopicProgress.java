package io.quasid.job.pipeline;

import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
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
 * <p>A partition with nothing left to read must not hold the watermark forever, but a partition
 * that merely delivers nothing for a while (a slow fetch, a starved source thread, a broker hiccup)
 * must not be taken for one: the wall-clock rule that did so dead-lettered valid interactions under
 * CPU load (issue 27). So a partition counts as read up to the wall clock only by its position:
 * once it has delivered no record for a probe interval of input-activity time (which stands still
 * while the source is back-pressured), {@link PartitionEnds} is asked whether anything readable
 * follows the last offset it delivered; when nothing does, the watermark may move to the wall time
 * the question was asked, {@code delay} behind (anything appended later carries a later broker
 * timestamp). A partition the broker cannot answer for holds the watermark, and interactions wait
 * up to {@code interactions.unknown-item-max-wait}. Broker timestamps and the wall clock are
 * compared there, so clock skew between brokers and task managers should stay well below {@code
 * delay}.
 *
 * <p>Every assigned partition has its own generator from its assignment on ({@link
 * EveryPartitionWatermarkedSource}), which knows its partition and starting offset before any
 * record arrives: a partition whose first fetch is slow holds the watermark at its start, an empty
 * one is read to its end at once. The reader's own generator (records that belong to no partition:
 * none, for Kafka) is idle, so a reader without partitions holds nothing back and one with
 * partitions follows them alone; before, that generator followed the wall clock after one quiet
 * delay and carried every reader's watermark past the partitions it had not yet read.
 */
public final class TopicProgress implements WatermarkStrategy<RawRecord> {

  private static final long serialVersionUID = 1L;

  /** The split whose watermark output {@link EveryPartitionWatermarkedSource} is opening. */
  private static final ThreadLocal<KafkaPartitionSplit> OPENING = new ThreadLocal<>();

  private final long delayMillis;
  private final PartitionEnds ends;

  /** Runs {@code open}, which creates {@code split}'s watermark output, on this thread. */
  static void openingSplit(KafkaPartitionSplit split, Runnable open) {
    OPENING.set(split);
    try {
      open.run();
    } finally {
      OPENING.remove();
    }
  }

  public TopicProgress(long delayMillis, PartitionEnds ends) {
    this.delayMillis = delayMillis;
    this.ends = ends;
  }

  @Override
  public TimestampAssigner<RawRecord> createTimestampAssigner(
      TimestampAssignerSupplier.Context context) {
    return (record, kafkaTimestamp) -> record.timestamp;
  }

  @Override
  public WatermarkGenerator<RawRecord> createWatermarkGenerator(
      WatermarkGeneratorSupplier.Context context) {
    Generator generator =
        new Generator(
            delayMillis, ends, context.getInputActivityClock(), SystemClock.getInstance());
    KafkaPartitionSplit split = OPENING.get();
    if (split != null) {
      generator.assigned(split.getTopic(), split.getPartition(), split.getStartingOffset());
    }
    return generator;
  }

  /**
   * How long a partition delivers nothing before its position is asked: half the delay, 0.1-5 s.
   */
  static long probeIntervalMillis(long delayMillis) {
    return Math.max(100, Math.min(delayMillis / 2, 5_000));
  }

  /** One partition's watermark; package-private for its test. */
  static final class Generator implements WatermarkGenerator<RawRecord> {
    private final long delayMillis;
    private final long probeMillis;
    private final PartitionEnds ends;
    private final RelativeClock activity;
    private final Clock wall;
    private String topic;
    private int partition;
    private long nextOffset = Long.MIN_VALUE;
    private long newest = Long.MIN_VALUE;
    private long lastRecordActivity;
    private long emitted = Long.MIN_VALUE;
    private CompletableFuture<Boolean> probe;
    private long probedOffset;
    private long probeAskedAt = Long.MIN_VALUE;
    private long readUpTo = Long.MIN_VALUE;

    Generator(long delayMillis, PartitionEnds ends, RelativeClock activity, Clock wall) {
      this.delayMillis = delayMillis;
      this.probeMillis = probeIntervalMillis(delayMillis);
      this.ends = ends;
      this.activity = activity;
      this.wall = wall;
      this.lastRecordActivity = activity.relativeTimeMillis();
    }

    /**
     * The partition this generator is for, known before its first record; {@code startingOffset}
     * may be one of Kafka's markers (earliest, latest, committed), which {@link PartitionEnds}
     * resolves.
     */
    void assigned(String topic, int partition, long startingOffset) {
      this.topic = topic;
      this.partition = partition;
      this.nextOffset = startingOffset;
    }

    @Override
    public void onEvent(RawRecord record, long timestamp, WatermarkOutput output) {
      newest = Math.max(newest, timestamp);
      lastRecordActivity = activity.relativeTimeMillis();
      topic = record.topic;
      partition = record.partition;
      nextOffset = Math.max(nextOffset, record.offset + 1);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      if (topic == null) {
        // Not a partition's: the reader's own output, which Kafka records never pass through.
        output.markIdle();
        return;
      }
      long watermark = newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - delayMillis - 1;
      if (activity.relativeTimeMillis() - lastRecordActivity >= probeMillis) {
        askWhetherRead();
      }
      if (readUpTo != Long.MIN_VALUE) {
        watermark = Math.max(watermark, readUpTo - delayMillis - 1);
      }
      if (watermark > emitted) {
        emitted = watermark;
        output.emitWatermark(new Watermark(watermark));
      }
    }

    /** Takes in the last answer (if it still holds) and asks again once per probe interval. */
    private void askWhetherRead() {
      if (probe != null) {
        if (!probe.isDone()) {
          return;
        }
        if (probedOffset == nextOffset && Boolean.TRUE.equals(probe.getNow(false))) {
          readUpTo = Math.max(readUpTo, probeAskedAt);
        }
        probe = null;
      }
      long now = wall.absoluteTimeMillis();
      if (probeAskedAt == Long.MIN_VALUE || now - probeAskedAt >= probeMillis) {
        probedOffset = nextOffset;
        probeAskedAt = now;
        probe = ends.nothingAfter(topic, partition, nextOffset).exceptionally(e -> false);
      }
    }
  }
}
