package io.quasid.job.sample;

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
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes the {@link BeautyCatalog} to Kafka as the job's input: one {@link ItemFeatureEvent} per
 * item (key: item id) and one {@link InteractionEvent} per sequence entry (key: user id), as UTF-8
 * keys and {@link AvroWire} values. Every method returns only after all its records are
 * acknowledged by all in-sync replicas, and fails if any was not.
 */
public final class CatalogPublisher implements AutoCloseable {

  /** The Amazon 5-core interactions are reviews. */
  public static final String ACTION = "review";

  private final KafkaProducer<byte[], byte[]> producer;

  public CatalogPublisher(String bootstrapServers) {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                // Bulk load: fill large batches rather than send record by record.
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG,
                "quasid-catalog-publisher"),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /**
   * Publishes every item of the catalogue as an UPSERT stamped {@code eventTime}.
   *
   * @return the number of records acknowledged (the catalogue size)
   */
  public long publishItems(BeautyCatalog catalog, String topic, Instant eventTime) {
    Sends sends = new Sends();
    for (String itemId : catalog.itemIds()) {
      ItemFeatureEvent event =
          ItemFeatureEvent.newBuilder()
              .setItemId(itemId)
              .setFeatures(boxed(catalog.features(itemId)))
              .setProductGroupId(catalog.productGroup(itemId))
              .setOp(Op.UPSERT)
              .setEventTime(eventTime)
              .build();
      producer.send(
          new ProducerRecord<>(topic, utf8(itemId), AvroWire.ITEM_FEATURES.encode(event)),
          sends.callback());
    }
    return sends.awaitAll(producer, topic);
  }

  /**
   * Publishes every item of the catalogue as an UPSERT with its text and no vector, stamped {@code
   * eventTime}: what a catalogue producer without feature vectors sends.
   *
   * @return the number of records acknowledged (the catalogue size)
   */
  public long publishTextItems(ScientificCatalog catalog, String topic, Instant eventTime) {
    return publishTextItems(catalog, catalog.itemIds(), topic, eventTime);
  }

  /** Like {@link #publishTextItems(ScientificCatalog, String, Instant)}, for these items only. */
  public long publishTextItems(
      ScientificCatalog catalog, List<String> itemIds, String topic, Instant eventTime) {
    Sends sends = new Sends();
    for (String itemId : itemIds) {
      ItemFeatureEvent event =
          ItemFeatureEvent.newBuilder()
              .setItemId(itemId)
              .setFeatures(List.of())
              .setText(catalog.text(itemId))
              .setOp(Op.UPSERT)
              .setEventTime(eventTime)
              .build();
      producer.send(
          new ProducerRecord<>(topic, utf8(itemId), AvroWire.ITEM_FEATURES.encode(event)),
          sends.callback());
    }
    return sends.awaitAll(producer, topic);
  }

  /**
   * Publishes the sequences as interactions, interleaved the way live traffic would arrive: every
   * user's first interaction, then every user's second, and so on. Each user's order is kept, and
   * event times rise by one millisecond per record from {@code firstEventTime}, so the stream is in
   * event-time order.
   *
   * @return the number of records acknowledged (the total sequence length)
   */
  public long publishInteractions(
      List<UserSequence> sequences, String topic, Instant firstEventTime) {
    Sends sends = new Sends();
    long millis = firstEventTime.toEpochMilli();
    List<UserSequence> active = new ArrayList<>(sequences);
    for (int position = 0; !active.isEmpty(); position++) {
      final int at = position;
      active.removeIf(s -> s.itemIds().size() <= at);
      for (UserSequence user : active) {
        InteractionEvent event =
            InteractionEvent.newBuilder()
                .setUserId(user.userId())
                .setItemId(user.itemIds().get(at))
                .setAction(ACTION)
                .setWeight(1.0f)
                .setEventTime(Instant.ofEpochMilli(millis++))
                .build();
        producer.send(
            new ProducerRecord<>(topic, utf8(user.userId()), AvroWire.INTERACTIONS.encode(event)),
            sends.callback());
      }
    }
    return sends.awaitAll(producer, topic);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<Float> boxed(float[] vector) {
    List<Float> list = new ArrayList<>(vector.length);
    for (float v : vector) {
      list.add(v);
    }
    return list;
  }

  /** Counts the acknowledgements of one publish call and keeps its first failure. */
  private static final class Sends {
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    Callback callback() {
      return (metadata, exception) -> {
        if (exception == null) {
          acknowledged.incrementAndGet();
        } else {
          firstFailure.compareAndSet(null, exception);
        }
      };
    }

    long awaitAll(KafkaProducer<?, ?> producer, String topic) {
      producer.flush();
      if (firstFailure.get() != null) {
        throw new IllegalStateException(
            "publishing to " + topic + " failed after " + acknowledged.get() + " records",
            firstFailure.get());
      }
      return acknowledged.get();
    }
  }
}
