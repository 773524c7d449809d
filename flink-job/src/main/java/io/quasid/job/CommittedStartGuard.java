package io.quasid.job;

import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.StartOffsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Refuses a start from the group's COMMITTED offsets without a savepoint while the group has
 * committed offsets on the item topic.
 *
 * <p>Why: bucket suffixes live in keyed state. Without it every bucket is empty and hands out
 * suffix 0 again, while the items not read again keep their old {@code .../0} in the compacted SID
 * topic: two live items with one SID, for good. From EARLIEST every item is read again and the
 * topic is rebuilt consistently.
 *
 * <p>Skipped when a savepoint path is set or high availability is on (a recovering JobManager
 * re-runs {@code main} and then restores the job from its latest checkpoint, so "no savepoint path"
 * does not mean "no state" there).
 */
final class CommittedStartGuard {

  private static final long ADMIN_TIMEOUT_S = 30;

  private CommittedStartGuard() {}

  static void check(QuasidJobOptions options, ReadableConfig flink) {
    if (options.get(KafkaOptions.START_OFFSETS) != StartOffsets.COMMITTED
        || options.get(KafkaOptions.ALLOW_COMMITTED_WITHOUT_STATE)
        || flink.getOptional(StateRecoveryOptions.SAVEPOINT_PATH).isPresent()
        || !"NONE".equalsIgnoreCase(flink.get(HighAvailabilityOptions.HA_MODE))) {
      return;
    }
    String group = options.get(KafkaOptions.GROUP_ID);
    String topic = options.get(KafkaOptions.ITEMS_TOPIC);
    long committed = committedPartitions(options, group, topic);
    if (committed > 0) {
      throw new IllegalStateException(
          "refusing to start: source.start=COMMITTED without a savepoint, but consumer group '"
              + group
              + "' has committed offsets on "
              + committed
              + " partition(s) of '"
              + topic
              + "'. The SID buckets would start empty and hand out suffixes that items not read"
              + " again still hold in the SID topic (duplicate SIDs). Restore from a savepoint"
              + " (-s), or start with --source.start=EARLIEST to rebuild every SID, or set"
              + " --source.allow-committed-without-state=true after following the runbook's"
              + " re-bootstrap procedure.");
    }
  }

  private static long committedPartitions(QuasidJobOptions options, String group, String topic) {
    Properties props = options.kafkaClientProperties();
    props.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.get(KafkaOptions.BOOTSTRAP_SERVERS));
    try (Admin admin = Admin.create(props)) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS);
      return offsets.entrySet().stream()
          .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .count();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot read the committed offsets of group '"
              + group
              + "' to check source.start=COMMITTED: "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking committed offsets", e);
    }
  }
}
