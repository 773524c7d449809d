package io.quasid.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.client.SidTable;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.ModelOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.config.StartOffsets;
import io.quasid.job.sample.BeautyCatalog;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.DeadLetter;
import io.quasid.schemas.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against a broker secured as {@code ops/k8s} configures it: SASL_SSL with SCRAM-SHA-512, a
 * PEM truststore, no PLAINTEXT client listener, and an authorizer that grants each principal
 * exactly the ACLs of {@code ops/k8s/kafka-users.yaml} (read from the manifest). The job's every
 * Kafka client (sources with group offsets, the COMMITTED start check, three transactional sinks)
 * works with those ACLs; the recommender's user reads the SID table with its own; a client with a
 * wrong password, without TLS, without the CA, or without an ACL is refused.
 */
class SecuredKafkaITCase {

  private static final int ITEMS = 60;
  private static final int PARALLELISM = 2;
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final String JOB_USER = "quasid-stream";
  private static final String RECOMMENDER = "quasid-recommender";
  private static final String CATALOG = "catalog-producer";
  private static final String INTRUDER = "intruder";

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(PARALLELISM)
              .build());

  @Test
  void theJobRunsOnTheManifestsAclsAndNothingElseGetsIn(@TempDir Path dir) throws Exception {
    Map<String, List<AclBinding>> manifest =
        KafkaUserAcls.read(Path.of("..", "ops", "k8s", "kafka-users.yaml"));
    assertThat(manifest).containsKeys(JOB_USER, RECOMMENDER);
    Map<String, String> passwords = new HashMap<>();
    for (String user : List.of(JOB_USER, RECOMMENDER, CATALOG, INTRUDER)) {
      passwords.put(user, user + "-" + java.util.UUID.randomUUID());
    }

    try (SecuredKafka kafka = SecuredKafka.start(dir)) {
      kafka.createUsers(passwords);
      List<AclBinding> acls = new ArrayList<>(manifest.get(JOB_USER));
      acls.addAll(manifest.get(RECOMMENDER));
      for (String topic : List.of("item-features", "interactions")) {
        for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
          acls.add(
              new AclBinding(
                  new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                  new AccessControlEntry("User:" + CATALOG, "*", op, AclPermissionType.ALLOW)));
        }
      }
      kafka.createAcls(acls);

      QuasidJobOptions options = jobOptions(kafka, dir, passwords.get(JOB_USER));
      createTopics(kafka.admin(), options);
      Path snapshot = TinyBeautyModel.write(dir, ITEMS).snapshot();
      options = options.with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString());

      List<String> ids = BeautyCatalog.load().itemIds().subList(0, ITEMS);
      produceItems(kafka, passwords.get(CATALOG), options.get(KafkaOptions.ITEMS_TOPIC), ids);

      JobClient job = QuasidStreamJob.submit(options, "secured-kafka-it");
      try {
        try (SidTable table = recommenderTable(kafka, passwords.get(RECOMMENDER), options)) {
          long deadline = System.nanoTime() + WAIT.toNanos();
          while (table.size() < ITEMS && System.nanoTime() < deadline) {
            Thread.sleep(250);
          }
          assertThat(table.size()).as("SIDs read with the recommender's ACLs").isEqualTo(ITEMS);
          ids.forEach(id -> assertThat(table.sidOf(id)).isPresent());
        }
        assertThat(deadLetters(kafka, options))
            .as("the undecodable record, dead-lettered through the job's transactional sink")
            .singleElement()
            .satisfies(l -> assertThat(l.getErrorKind()).isEqualTo(ErrorKind.UNDECODABLE));

        assertRefused(kafka, passwords, options);
      } finally {
        job.cancel().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static QuasidJobOptions jobOptions(SecuredKafka kafka, Path dir, String password)
      throws Exception {
    // As ops/k8s does: the JAAS line is a reference each client resolves, never in the job graph.
    Path secrets = dir.resolve("kafka-secrets.properties");
    Properties secret = new Properties();
    secret.setProperty("sasl.jaas.config", SecuredKafka.jaas(JOB_USER, password));
    try (var out = Files.newBufferedWriter(secrets)) {
      secret.store(out, null);
    }
    return QuasidJobOptions.defaults()
        .with(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
        // COMMITTED also runs the start check's admin client against the group.
        .with(KafkaOptions.START_OFFSETS, StartOffsets.COMMITTED)
        .with(RuntimeOptions.PARALLELISM, PARALLELISM)
        .with(RuntimeOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500))
        .with(RuntimeOptions.RESTART_DELAY, Duration.ofMillis(200))
        .with("kafka.security.protocol", "SASL_SSL")
        .with("kafka.sasl.mechanism", "SCRAM-SHA-512")
        .with("kafka.sasl.jaas.config", "${file:" + secrets + ":sasl.jaas.config}")
        .with("kafka.ssl.truststore.type", "PEM")
        .with("kafka.ssl.truststore.location", kafka.caCertificate().toString());
  }

  private static void createTopics(Admin admin, QuasidJobOptions options) throws Exception {
    Map<String, String> compacted =
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    admin
        .createTopics(
            List.of(
                new NewTopic(options.get(KafkaOptions.ITEMS_TOPIC), PARALLELISM, (short) 1),
                new NewTopic(options.get(KafkaOptions.INTERACTIONS_TOPIC), PARALLELISM, (short) 1),
                new NewTopic(options.get(KafkaOptions.SID_TOPIC), PARALLELISM, (short) 1)
                    .configs(compacted),
                new NewTopic(options.get(KafkaOptions.DEAD_LETTER_TOPIC), 1, (short) 1),
                new NewTopic(options.get(KafkaOptions.MIGRATIONS_TOPIC), 1, (short) 1)
                    .configs(compacted)))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  private static void produceItems(
      SecuredKafka kafka, String password, String topic, List<String> ids) throws Exception {
    BeautyCatalog catalog = BeautyCatalog.load();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerConfig(kafka.clientProperties(CATALOG, password)))) {
      for (String id : ids) {
        producer.send(
            new ProducerRecord<>(topic, bytes(id), TopicIo.item(id, catalog.features(id))));
      }
      producer.send(new ProducerRecord<>(topic, bytes("garbage"), new byte[] {1, 2, 3})).get();
    }
  }

  private static SidTable recommenderTable(
      SecuredKafka kafka, String password, QuasidJobOptions options) throws Exception {
    SidTable.Builder builder =
        SidTable.builder(kafka.bootstrapServers(), options.get(KafkaOptions.SID_TOPIC));
    kafka.clientProperties(RECOMMENDER, password).forEach(builder::kafkaProperty);
    return builder.start();
  }

  private static List<DeadLetter> deadLetters(SecuredKafka kafka, QuasidJobOptions options)
      throws Exception {
    Map<String, Object> config =
        consumerConfig(kafka.clientProperties(SecuredKafka.ADMIN, kafka.adminPassword()));
    List<DeadLetter> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.assign(List.of(new TopicPartition(options.get(KafkaOptions.DEAD_LETTER_TOPIC), 0)));
      consumer.seekToBeginning(consumer.assignment());
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (letters.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          letters.add(AvroWire.DEAD_LETTERS.decode(r.value()));
        }
      }
      // Anything committed with it (a duplicate would be a bug) arrives in the same transaction.
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(2))) {
        letters.add(AvroWire.DEAD_LETTERS.decode(r.value()));
      }
    }
    return letters;
  }

  private static void assertRefused(
      SecuredKafka kafka, Map<String, String> passwords, QuasidJobOptions options) {
    String sidTopic = options.get(KafkaOptions.SID_TOPIC);
    TopicPartition sid0 = new TopicPartition(sidTopic, 0);

    // Authenticated, but no ACL: reading SIDs is refused.
    try (KafkaConsumer<byte[], byte[]> intruder =
        new KafkaConsumer<>(
            consumerConfig(kafka.clientProperties(INTRUDER, passwords.get(INTRUDER))))) {
      intruder.assign(List.of(sid0));
      assertThatThrownBy(() -> intruder.poll(Duration.ofSeconds(10)))
          .isInstanceOf(TopicAuthorizationException.class);
    }
    // The recommender may read SIDs, never write them. (Its idempotent producer would already be
    // refused at InitProducerId, by the cluster: a user with no Write ACL anywhere gets no
    // producer id. Without idempotence the topic's ACL itself is what refuses.)
    Map<String, Object> plainProducer =
        producerConfig(kafka.clientProperties(RECOMMENDER, passwords.get(RECOMMENDER)));
    plainProducer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    try (KafkaProducer<byte[], byte[]> recommender = new KafkaProducer<>(plainProducer)) {
      assertThatThrownBy(
              () -> recommender.send(new ProducerRecord<>(sidTopic, bytes("x"), bytes("y"))).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    // The catalogue producer may write items, never read SIDs.
    try (KafkaConsumer<byte[], byte[]> catalog =
        new KafkaConsumer<>(
            consumerConfig(kafka.clientProperties(CATALOG, passwords.get(CATALOG))))) {
      catalog.assign(List.of(sid0));
      assertThatThrownBy(() -> catalog.poll(Duration.ofSeconds(10)))
          .isInstanceOf(TopicAuthorizationException.class);
    }

    Map<String, String> wrongPassword = kafka.clientProperties(JOB_USER, "not-the-password");
    assertThat(describeFails(wrongPassword)).isInstanceOf(SaslAuthenticationException.class);

    Map<String, String> noCa = kafka.clientProperties(JOB_USER, passwords.get(JOB_USER));
    noCa.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
    noCa.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
    assertThat(describeFails(noCa)).isInstanceOf(SslAuthenticationException.class);

    // No PLAINTEXT listener: a plaintext client gets no answer at all.
    Map<String, String> plaintext =
        Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    assertThat(describeFails(plaintext))
        .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
  }

  /** What a describe-cluster call as this client fails with (it must fail). */
  private static Throwable describeFails(Map<String, String> client) {
    try (Admin admin = Admin.create(new HashMap<>(client))) {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get();
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
    throw new AssertionError("the broker let in " + client.keySet());
  }

  private static Map<String, Object> producerConfig(Map<String, String> security) {
    Map<String, Object> config = new HashMap<>(security);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    return config;
  }

  private static Map<String, Object> consumerConfig(Map<String, String> security) {
    Map<String, Object> config = new HashMap<>(security);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
