package io.quasid.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Kafka: the brokers, the five topics, the consumer group and where the sources start, and the
 * transactional sinks. Other Kafka client settings pass through as {@code kafka.*} keys (see {@link
 * QuasidJobOptions#kafkaClientProperties()}).
 */
public final class KafkaOptions {

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      ConfigOptions.key("bootstrap.servers")
          .stringType()
          .defaultValue("localhost:9092")
          .withDescription("Kafka bootstrap servers.");
  public static final ConfigOption<String> ITEMS_TOPIC =
      ConfigOptions.key("topic.items")
          .stringType()
          .defaultValue("item-features")
          .withDescription("Input topic of ItemFeatureEvent records, keyed by item id.");
  public static final ConfigOption<String> INTERACTIONS_TOPIC =
      ConfigOptions.key("topic.interactions")
          .stringType()
          .defaultValue("interactions")
          .withDescription("Input topic of InteractionEvent records, keyed by user id.");
  public static final ConfigOption<String> SID_TOPIC =
      ConfigOptions.key("topic.sid-assignments")
          .stringType()
          .defaultValue("sid-assignments")
          .withDescription("Compacted output topic of SidAssignment records keyed by item id.");
  public static final ConfigOption<String> DEAD_LETTER_TOPIC =
      ConfigOptions.key("topic.dead-letters")
          .stringType()
          .defaultValue("sid-dead-letters")
          .withDescription("Output topic of rejected input records (DeadLetter).");
  public static final ConfigOption<String> MIGRATIONS_TOPIC =
      ConfigOptions.key("topic.sid-migrations")
          .stringType()
          .defaultValue("sid-migrations")
          .withDescription(
              "Output topic of MigrationSummary records keyed by model version: one per version,"
                  + " when every assigner has re-encoded its items (compacted).");
  public static final ConfigOption<String> GROUP_ID =
      ConfigOptions.key("group.id")
          .stringType()
          .defaultValue("quasid-stream")
          .withDescription("Consumer group of the sources (offsets are also in checkpoints).");
  public static final ConfigOption<StartOffsets> START_OFFSETS =
      ConfigOptions.key("source.start")
          .enumType(StartOffsets.class)
          .defaultValue(StartOffsets.EARLIEST)
          .withDescription(
              "Where the sources start without a checkpoint or savepoint: EARLIEST (every item is"
                  + " read again, so the SID topic is rebuilt consistently), LATEST, or the"
                  + " group's COMMITTED offsets. COMMITTED without state is refused while the"
                  + " group has committed offsets (items not read again would keep SIDs the new"
                  + " empty buckets hand out again), unless source.allow-committed-without-state.");
  public static final ConfigOption<Boolean> ALLOW_COMMITTED_WITHOUT_STATE =
      ConfigOptions.key("source.allow-committed-without-state")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Start from the group's COMMITTED offsets without a savepoint even though the"
                  + " group has committed offsets. Duplicate SIDs can follow; see the runbook's"
                  + " re-bootstrap procedure before setting it.");
  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
      ConfigOptions.key("sink.transactional-id-prefix")
          .stringType()
          .defaultValue("quasid-stream")
          .withDescription(
              "Prefix of the Kafka transactional ids of the exactly-once sinks; unique per job"
                  + " on a cluster.");
  public static final ConfigOption<DeliveryGuarantee> SID_DELIVERY =
      ConfigOptions.key("sink.sid-delivery")
          .enumType(DeliveryGuarantee.class)
          .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
          .withDescription(
              "exactly-once: SIDs become visible to read_committed consumers when a checkpoint"
                  + " completes. at-least-once (low-latency mode): visible within about a second"
                  + " (producer linger), but after a failure a consumer sees records again: keep,"
                  + " per item, the record with the highest revision, the later one on a tie (see"
                  + " the job README). Dead letters stay exactly once.");

  private KafkaOptions() {}
}
