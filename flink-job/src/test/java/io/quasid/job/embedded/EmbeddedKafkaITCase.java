package io.quasid.job.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedKafkaITCase {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    long started = System.nanoTime();
    kafka = EmbeddedKafka.start();
    System.out.printf(
        "EmbeddedKafka ready at %s after %.2f s%n",
        kafka.bootstrapServers(), (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void readCommittedConsumerSeesCommittedButNotAbortedTransactions() {
    kafka.createTopic("tx-visibility", 2, false);

    try (KafkaProducer<String, String> producer = transactionalProducer("tx-visibility-writer")) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>("tx-visibility", "k" + i, "committed-" + i));
      }
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx-visibility", "k9", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx-visibility", "k3", "committed-3"));
      producer.commitTransaction();
    }

    List<String> values = readAll("tx-visibility", IsolationLevel.READ_COMMITTED, 4);

    assertThat(values)
        .containsExactlyInAnyOrder("committed-0", "committed-1", "committed-2", "committed-3");
  }

  @Test
  void readUncommittedConsumerAlsoSeesTheAbortedRecord() {
    kafka.createTopic("tx-uncommitted", 1, false);

    try (KafkaProducer<String, String> producer = transactionalProducer("tx-uncommitted-writer")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx-uncommitted", "k", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx-uncommitted", "k", "committed"));
      producer.commitTransaction();
    }

    assertThat(readAll("tx-uncommitted", IsolationLevel.READ_UNCOMMITTED, 2))
        .containsExactly("aborted", "committed");
  }

  @Test
  void createsCompactedTopics() throws Exception {
    kafka.createTopic("compacted-sids", 3, true);

    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "compacted-sids");
      Config config = admin.describeConfigs(Set.of(topic)).all().get().get(topic);

      assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
          .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
      assertThat(admin.describeTopics(Set.of("compacted-sids")).allTopicNames().get())
          .extractingByKey("compacted-sids")
          .satisfies(d -> assertThat(d.partitions()).hasSize(3));
    }
  }

  @Test
  void closeStopsTheBrokerProcess() {
    EmbeddedKafka own = EmbeddedKafka.start();
    int port = Integer.parseInt(own.bootstrapServers().substring("localhost:".length()));

    own.close();

    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void scramListenerAdmitsTheUserAndRefusesOtherClients() throws Exception {
    try (EmbeddedKafka secured = EmbeddedKafka.startWithScram("quasid", "s3cret-pw")) {
      secured.createTopic("scram-topic", 1, false);
      Map<String, Object> user =
          new HashMap<>(EmbeddedKafka.scramClientProperties("quasid", "s3cret-pw"));
      user.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, secured.saslBootstrapServers());
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(user, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("scram-topic", "k", "v")).get(30, TimeUnit.SECONDS);
      }

      Map<String, Object> wrong =
          new HashMap<>(EmbeddedKafka.scramClientProperties("quasid", "wrong-pw"));
      wrong.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, secured.saslBootstrapServers());
      wrong.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
      Map<String, Object> anonymous =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              secured.saslBootstrapServers(),
              ProducerConfig.MAX_BLOCK_MS_CONFIG,
              3_000);

      assertThat(sendFailure(wrong)).isInstanceOf(SaslAuthenticationException.class);
      // Unauthenticated requests on a SASL listener are dropped with the connection: no answer.
      assertThat(sendFailure(anonymous)).isInstanceOf(TimeoutException.class);
      assertThat(endOffset(secured, "scram-topic")).isEqualTo(1);
    }
  }

  @Test
  void onlyAScramBrokerHasASaslListener() {
    assertThatThrownBy(() -> kafka.saslBootstrapServers())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> EmbeddedKafka.startWithScram("quasid", "pass\"word"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** What one send with {@code config} fails with (the cause of a failed future), or null. */
  private static Throwable sendFailure(Map<String, Object> config) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      Throwable failure =
          catchThrowable(
              () ->
                  producer
                      .send(new ProducerRecord<>("scram-topic", "k", "refused"))
                      .get(30, TimeUnit.SECONDS));
      return failure instanceof ExecutionException ? failure.getCause() : failure;
    }
  }

  private static long endOffset(EmbeddedKafka broker, String topic) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      TopicPartition partition = new TopicPartition(topic, 0);
      return admin
          .listOffsets(Map.of(partition, OffsetSpec.latest()))
          .partitionResult(partition)
          .get(30, TimeUnit.SECONDS)
          .offset();
    }
  }

  private static KafkaProducer<String, String> transactionalProducer(String transactionalId) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            transactionalId,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true),
        new StringSerializer(),
        new StringSerializer());
  }

  /** Reads every partition of {@code topic} from the start until {@code expected} values came. */
  private static List<String> readAll(String topic, IsolationLevel isolation, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // The class timeout bounds this loop; a broken broker fails the test rather than hangs it.
      while (values.size() < expected) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      // One more poll: anything beyond the expected values would be a visibility bug.
      consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
    }
    return values;
  }
}
