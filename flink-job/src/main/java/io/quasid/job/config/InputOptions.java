package io.quasid.job.config;

import io.quasid.job.pipeline.SidAssigner;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * What the decoders and the gate accept: dimensions, sizes, event times, unknown ids, and how much
 * of a rejected record a dead letter keeps.
 */
public final class InputOptions {

  public static final ConfigOption<Integer> VECTOR_DIM =
      ConfigOptions.key("vector.dim")
          .intType()
          .defaultValue(64)
          .withDescription("Dimension of item feature vectors; other sizes are dead-lettered.");
  public static final ConfigOption<Integer> MAX_RECORD_BYTES =
      ConfigOptions.key("max-record-bytes")
          .intType()
          .defaultValue(64 * 1024)
          .withDescription("Input records with a larger value are dead-lettered as OVERSIZE.");
  public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
      ConfigOptions.key("event-time.max-future-skew")
          .durationType()
          .defaultValue(Duration.ofHours(1))
          .withDescription(
              "Item and interaction events whose event_time is further ahead of their record's"
                  + " Kafka timestamp (or of the task manager's clock, where that is earlier) are"
                  + " dead-lettered as INVALID. The job orders an item's"
                  + " events by event time, so one stamped in the future (a bad producer clock,"
                  + " microseconds sent as milliseconds) would otherwise freeze the item: every"
                  + " later update and delete would be dropped as older.");
  public static final ConfigOption<Duration> UNKNOWN_DELETE_RETENTION =
      ConfigOptions.key("items.unknown-delete-retention")
          .durationType()
          .defaultValue(SidAssigner.DEFAULT_UNKNOWN_DELETE_RETENTION)
          .withDescription(
              "How long the delete of an item id the job never held is remembered, so that an"
                  + " older upsert of it arriving later is not applied. After that the id leaves no"
                  + " state (deletes of ids that never existed cannot grow it); a deleted item that"
                  + " was published keeps a small tombstone (its revision and newest event time)"
                  + " for good.");
  public static final ConfigOption<Integer> DEAD_LETTER_MAX_KEY_BYTES =
      ConfigOptions.key("dead-letters.max-key-bytes")
          .intType()
          .defaultValue(1024)
          .withDescription(
              "A dead letter keeps at most this many bytes of the rejected record's key (in its"
                  + " raw_key and as its own Kafka key; raw_key_length keeps the full length), so a"
                  + " huge key cannot make the dead letter too large to write and fail the job.");
  public static final ConfigOption<Duration> UNKNOWN_ITEM_GRACE =
      ConfigOptions.key("interactions.unknown-item-grace")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription(
              "An interaction whose item is not known is dead-lettered as UNKNOWN_ID once both"
                  + " input topics have been read this far past it (broker timestamps; a"
                  + " partition counts as read up to the wall clock only when the broker says"
                  + " nothing readable follows its position): live, about this long after the"
                  + " interaction; while an item"
                  + " partition lags (a catch-up) it waits on, up to"
                  + " interactions.unknown-item-max-wait. Keep it well above the clock skew"
                  + " between producers and task managers.");
  public static final ConfigOption<Duration> UNKNOWN_ITEM_MAX_WAIT =
      ConfigOptions.key("interactions.unknown-item-max-wait")
          .durationType()
          .defaultValue(Duration.ofMinutes(30))
          .withDescription(
              "Longest an interaction waits for its item, in processing time, however the"
                  + " topics progress (see interactions.unknown-item-grace): bounds the state of"
                  + " waiting interactions. Counted from when an interaction began waiting,"
                  + " downtime included: after an outage longer than this, the interactions that"
                  + " were waiting when it began are dead-lettered at the restart. At least the"
                  + " grace.");

  private InputOptions() {}
}
