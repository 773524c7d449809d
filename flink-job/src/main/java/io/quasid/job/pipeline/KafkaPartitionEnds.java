package io.quasid.job.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PartitionEnds} asked of the broker by a read_committed consumer of its own (no group, one
 * per task manager and client configuration, closed after a minute unused). The end offset alone
 * does not answer: a transactional producer leaves a commit marker after its last record, so the
 * end sits past the last readable offset. When the end is ahead, the probe reads from the offset
 * on: a record there means the source has something left to read; reaching the end without one
 * means it has not.
 */
public final class KafkaPartitionEnds implements PartitionEnds {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPartitionEnds.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final long IDLE_CLOSE_MILLIS = 60_000;
  private static final Map<String, Probe> PROBES = new ConcurrentHashMap<>();

  private final Properties consumerProperties;

  /** The probe's key in {@link #PROBES}: the settings themselves, in memory only (credentials). */
  private transient String probeKey;

  /**
   * @param kafkaProperties the job's Kafka client settings (bootstrap servers, security)
   */
  public KafkaPartitionEnds(Properties kafkaProperties) {
    Properties props = new Properties();
    props.putAll(kafkaProperties);
    // The group id stays, to resolve a partition that starts at the group's committed offset; the
    // probe only assigns partitions and never commits, so it never joins or moves the group.
    props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    props.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "quasid-topic-progress");
    props.setProperty(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.setProperty(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumerProperties = props;
  }

  @Override
  public CompletableFuture<Boolean> nothingAfter(String topic, int partition, long nextOffset) {
    if (probeKey == null) {
      probeKey = new TreeMap<>(consumerProperties).toString();
    }
    return PROBES
        .computeIfAbsent(probeKey, k -> new Probe(consumerProperties))
        .ask(new TopicPartition(topic, partition), nextOffset);
  }

  /** One consumer and the one thread that may touch it. */
  private static final class Probe {
    private final Properties props;
    private final ScheduledExecutorService thread;
    private KafkaConsumer<byte[], byte[]> consumer;
    private long lastUsed;
    private boolean failing;

    Probe(Properties props) {
      this.props = props;
      this.thread =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "quasid-partition-ends");
                t.setDaemon(true);
                return t;
              });
      thread.scheduleWithFixedDelay(this::closeIfIdle, 10, 10, TimeUnit.SECONDS);
    }

    CompletableFuture<Boolean> ask(TopicPartition tp, long nextOffset) {
      return CompletableFuture.supplyAsync(() -> nothingAfter(tp, nextOffset), thread);
    }

    private boolean nothingAfter(TopicPartition tp, long nextOffset) {
      lastUsed = System.currentTimeMillis();
      try {
        if (consumer == null) {
          consumer = new KafkaConsumer<>(props);
        }
        if (nextOffset == KafkaPartitionSplit.LATEST_OFFSET) {
          return true; // reading starts at the end: nothing before it will be read
        }
        nextOffset = resolve(tp, nextOffset);
        if (nextOffset < 0) {
          return false;
        }
        long end = consumer.endOffsets(List.of(tp), REQUEST_TIMEOUT).get(tp);
        failing = false;
        if (end <= nextOffset) {
          return true;
        }
        consumer.assign(List.of(tp));
        consumer.seek(tp, nextOffset);
        long deadline = System.currentTimeMillis() + REQUEST_TIMEOUT.toMillis();
        while (consumer.position(tp, REQUEST_TIMEOUT) < end) {
          if (System.currentTimeMillis() > deadline) {
            return false;
          }
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            if (record.offset() >= nextOffset) {
              return false;
            }
          }
        }
        return true;
      } catch (RuntimeException e) {
        if (!failing) {
          LOG.warn(
              "Could not tell whether {} has records after offset {}: its watermark waits (logged"
                  + " once until the broker answers again)",
              tp,
              nextOffset,
              e);
        }
        failing = true;
        closeConsumer();
        return false;
      }
    }

    /** A real offset for Kafka's starting-offset markers; -1 when it cannot be resolved. */
    private long resolve(TopicPartition tp, long offset) {
      if (offset >= 0) {
        return offset;
      }
      if (offset == KafkaPartitionSplit.COMMITTED_OFFSET) {
        OffsetAndMetadata committed = consumer.committed(Set.of(tp), REQUEST_TIMEOUT).get(tp);
        if (committed != null) {
          return committed.offset();
        }
        offset = KafkaPartitionSplit.EARLIEST_OFFSET; // the job's reset strategy
      }
      if (offset == KafkaPartitionSplit.EARLIEST_OFFSET) {
        return consumer.beginningOffsets(List.of(tp), REQUEST_TIMEOUT).get(tp);
      }
      return -1;
    }

    private void closeIfIdle() {
      if (consumer != null && System.currentTimeMillis() - lastUsed > IDLE_CLOSE_MILLIS) {
        closeConsumer();
      }
    }

    private void closeConsumer() {
      if (consumer != null) {
        try {
          consumer.close(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
          LOG.debug("Closing the partition-ends consumer failed", e);
        }
        consumer = null;
      }
    }
  }
}
