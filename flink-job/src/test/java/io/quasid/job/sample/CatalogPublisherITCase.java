package io.quasid.job.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.embedded.EmbeddedKafka;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.InteractionEvent;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.Op;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CatalogPublisherITCase {

  private static final Instant T0 = Instant.parse("2014-07-01T00:00:00Z");

  private static EmbeddedKafka kafka;
  private static BeautyCatalog catalog;

  @BeforeAll
  static void setUp() {
    kafka = EmbeddedKafka.start();
    catalog = BeautyCatalog.load();
  }

  @AfterAll
  static void tearDown() {
    kafka.close();
  }

  @Test
  void publishesEveryItemAsADecodableUpsert() throws Exception {
    kafka.createTopic("items", 2, true);

    long published;
    try (CatalogPublisher publisher = new CatalogPublisher(kafka.bootstrapServers())) {
      published = publisher.publishItems(catalog, "items", T0);
    }

    List<ConsumerRecord<byte[], byte[]>> records = readAll("items", 12_101);
    Map<String, ItemFeatureEvent> byKey = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      byKey.put(
          new String(r.key(), StandardCharsets.UTF_8), AvroWire.ITEM_FEATURES.decode(r.value()));
    }
    assertThat(published).isEqualTo(12_101);
    assertThat(records).hasSize(12_101);
    assertThat(byKey).hasSize(12_101);
    ItemFeatureEvent item4 = byKey.get("4");
    assertThat(item4.getItemId()).isEqualTo("4");
    assertThat(item4.getOp()).isEqualTo(Op.UPSERT);
    assertThat(item4.getProductGroupId()).isEqualTo("1");
    assertThat(item4.getEventTime()).isEqualTo(T0);
    assertThat(unboxed(item4.getFeatures())).containsExactly(catalog.features("4"));
  }

  @Test
  void publishesInteractionsInterleavedAndInEventTimeOrder() throws Exception {
    kafka.createTopic("interactions", 1, false);
    List<UserSequence> users = catalog.sequences().subList(0, 300);
    long expected = users.stream().mapToLong(u -> u.itemIds().size()).sum();

    long published;
    try (CatalogPublisher publisher = new CatalogPublisher(kafka.bootstrapServers())) {
      published = publisher.publishInteractions(users, "interactions", T0);
    }

    List<InteractionEvent> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll("interactions", expected)) {
      InteractionEvent e = AvroWire.INTERACTIONS.decode(r.value());
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.getUserId());
      events.add(e);
    }
    assertThat(published).isEqualTo(expected);
    assertThat(events).hasSize((int) expected);
    // Round robin: the first 300 records are every user's first interaction.
    assertThat(events.subList(0, 300))
        .extracting(InteractionEvent::getUserId)
        .containsExactlyElementsOf(users.stream().map(UserSequence::userId).toList());
    assertThat(events).extracting(InteractionEvent::getEventTime).isSorted();
    assertThat(events.get(0).getEventTime()).isEqualTo(T0);
    assertThat(events)
        .extracting(InteractionEvent::getAction)
        .containsOnly(CatalogPublisher.ACTION);
    List<String> firstUser =
        events.stream()
            .filter(e -> e.getUserId().equals("1"))
            .map(InteractionEvent::getItemId)
            .toList();
    assertThat(firstUser).containsExactlyElementsOf(users.get(0).itemIds());
  }

  private static float[] unboxed(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /** Every record of {@code topic} in partition-then-offset order, once {@code expected} came. */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, long expected) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5_000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // The class timeout bounds this loop.
      while (records.size() < expected) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
