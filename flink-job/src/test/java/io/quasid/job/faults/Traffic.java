package io.quasid.job.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes the input of one scenario and keeps its ledger: what the job must end with according to
 * {@link InputOracle}. A valid item record is keyed by its own item id (one partition per item, so
 * the job sees an item's records in publishing order); the last valid record of an item says
 * whether it ends live. Every rejected record is remembered by its (topic, partition, offset), from
 * the producer's acknowledgement, to be found exactly once in the dead-letter topic.
 *
 * <p>Methods are called from one feeding thread; the ledger is read after {@link #flush()}.
 */
final class Traffic implements AutoCloseable {

  /** Where a record landed. */
  record SourceRef(String topic, int partition, long offset) {}

  private final String itemsTopic;
  private final String interactionsTopic;
  private final InputOracle oracle;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<String, Boolean> itemLive = new ConcurrentHashMap<>();
  private final Set<SourceRef> expectedBad = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final AtomicLong itemRecords = new AtomicLong();
  private final AtomicLong interactionRecords = new AtomicLong();
  private volatile long lastSendMillis;

  Traffic(String bootstrap, String itemsTopic, String interactionsTopic, InputOracle oracle) {
    this.itemsTopic = itemsTopic;
    this.interactionsTopic = interactionsTopic;
    this.oracle = oracle;
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // Keep retrying through a broker restart instead of failing the send.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** An item-feature record; {@code key} is used only when the oracle rejects it. */
  void item(String key, byte[] value) {
    InputOracle.ItemVerdict verdict = oracle.item(value);
    if (!verdict.bad()) {
      itemLive.put(verdict.itemId(), !verdict.delete());
    }
    itemRecords.incrementAndGet();
    send(itemsTopic, verdict.bad() ? key : verdict.itemId(), value, verdict.bad());
  }

  /**
   * An interaction record: rejected when the decoder would reject it or its item is not live in the
   * ledger (the job's known-item gate dead-letters it after its grace time).
   */
  void interaction(String key, byte[] value) {
    String item = oracle.interactionItem(value);
    boolean bad = item == null || !Boolean.TRUE.equals(itemLive.get(item));
    interactionRecords.incrementAndGet();
    send(interactionsTopic, key, value, bad);
  }

  private void send(String topic, String key, byte[] value, boolean bad) {
    lastSendMillis = System.currentTimeMillis();
    producer.send(
        new ProducerRecord<>(
            topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value),
        (metadata, exception) -> {
          if (exception != null) {
            failure.compareAndSet(null, exception);
          } else if (bad) {
            expectedBad.add(new SourceRef(topic, metadata.partition(), metadata.offset()));
          }
        });
  }

  /** Waits for every acknowledgement; fails if any send failed. */
  void flush() {
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("a test record was not acknowledged", failure.get());
    }
  }

  Set<String> liveItems() {
    return itemLive.entrySet().stream()
        .filter(Map.Entry::getValue)
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  Set<String> deletedItems() {
    return itemLive.entrySet().stream()
        .filter(e -> !e.getValue())
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  Set<SourceRef> expectedBad() {
    return Set.copyOf(expectedBad);
  }

  long itemRecords() {
    return itemRecords.get();
  }

  long interactionRecords() {
    return interactionRecords.get();
  }

  long lastSendMillis() {
    return lastSendMillis;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
