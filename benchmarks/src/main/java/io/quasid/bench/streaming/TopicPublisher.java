package io.quasid.bench.streaming;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.InteractionEvent;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.Op;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the benchmark's input the way a catalogue producer would: Avro single-object {@link
 * ItemFeatureEvent}s keyed by item id, {@link InteractionEvent}s keyed by user id, idempotent, acks
 * from all in-sync replicas.
 */
final class TopicPublisher implements AutoCloseable {

  static final String ACTION = "view";

  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  TopicPublisher(String bootstrap, int lingerMs) {
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                lingerMs,
                ProducerConfig.BATCH_SIZE_CONFIG,
                512 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG,
                128L * 1024 * 1024,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                16 * 1024 * 1024),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /** Sends item {@code i} of {@code catalogue} as an UPSERT under {@code id}, stamped now. */
  void sendItem(String topic, SyntheticCatalogue catalogue, long i, String id) {
    sendItem(topic, id, catalogue.vector(i), Instant.now());
  }

  void sendItem(String topic, String id, float[] vector, Instant eventTime) {
    List<Float> features = new ArrayList<>(vector.length);
    for (float v : vector) {
      features.add(v);
    }
    ItemFeatureEvent event =
        ItemFeatureEvent.newBuilder()
            .setItemId(id)
            .setFeatures(features)
            .setProductGroupId(null)
            .setOp(Op.UPSERT)
            .setEventTime(eventTime)
            .build();
    send(topic, id, AvroWire.ITEM_FEATURES.encode(event));
  }

  void sendInteraction(String topic, String user, String item, Instant eventTime) {
    InteractionEvent event =
        InteractionEvent.newBuilder()
            .setUserId(user)
            .setItemId(item)
            .setAction(ACTION)
            .setWeight(1.0f)
            .setEventTime(eventTime)
            .build();
    send(topic, user, AvroWire.INTERACTIONS.encode(event));
  }

  void send(String topic, String key, byte[] value) {
    if (failure.get() != null) {
      throw new IllegalStateException("publishing to " + topic + " failed", failure.get());
    }
    producer.send(
        new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value),
        (metadata, e) -> {
          if (e == null) {
            acknowledged.incrementAndGet();
          } else {
            failure.compareAndSet(null, e);
          }
        });
  }

  /** Waits for every record sent so far; returns how many were acknowledged in all. */
  long flush() {
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("publishing failed", failure.get());
    }
    return acknowledged.get();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
