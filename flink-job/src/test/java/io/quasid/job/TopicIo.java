package io.quasid.job;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.Op;
import io.quasid.schemas.SidAssignment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Test-side Kafka I/O: raw producing, and reading a topic as a read_committed consumer. */
final class TopicIo {

  private final String bootstrap;

  TopicIo(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] item(String id, float[] vector) {
    List<Float> features = new ArrayList<>();
    for (float v : vector) {
      features.add(v);
    }
    return AvroWire.ITEM_FEATURES.encode(
        ItemFeatureEvent.newBuilder()
            .setItemId(id)
            .setFeatures(features)
            .setOp(vector.length == 0 ? Op.DELETE : Op.UPSERT)
            .setEventTime(Instant.now())
            .build());
  }

  /** Decodes a SID-topic value; a test fails on bytes the job should never have written. */
  static SidAssignment sidAssignment(byte[] value) {
    try {
      return AvroWire.SID_ASSIGNMENTS.decode(value);
    } catch (Exception e) {
      throw new AssertionError("undecodable SID assignment", e);
    }
  }

  static int[] codes(SidAssignment a) {
    return a.getCodes().stream().mapToInt(Integer::intValue).toArray();
  }

  /** Sends key/value pairs (in order) and waits for every acknowledgement. */
  void send(String topic, List<Map.Entry<String, byte[]>> records) {
    sendRecords(
        records.stream()
            .map(r -> new ProducerRecord<>(topic, utf8(r.getKey()), r.getValue()))
            .toList());
  }

  /** Sends records as given (headers included), in order, and waits for every acknowledgement. */
  void sendRecords(List<ProducerRecord<byte[], byte[]>> records) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class,
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      records.forEach(producer::send);
      producer.flush();
    }
  }

  /** Commits offset {@code offset} on partition 0 of {@code topic} for {@code group}. */
  void commitOffsets(String group, String topic, long offset) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .alterConsumerGroupOffsets(
              group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(offset)))
          .all()
          .get();
    }
  }

  /**
   * Reads committed records of {@code topic} from the beginning until {@code done} holds for all
   * records read so far, or the deadline passes; returns them in partition order.
   */
  List<ConsumerRecord<String, byte[]>> readCommittedUntil(
      String topic, Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = DemoProgress.readCommittedConsumer(bootstrap)) {
      DemoProgress.fromBeginning(consumer, topic);
      while (!done.test(read) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          read.add(
              new ConsumerRecord<>(
                  r.topic(),
                  r.partition(),
                  r.offset(),
                  r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                  r.value()));
        }
      }
    }
    return read;
  }
}
