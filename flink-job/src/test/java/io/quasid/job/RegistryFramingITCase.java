package io.quasid.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.client.SidTable;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.ModelOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RegistryOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.config.StartOffsets;
import io.quasid.job.config.ValueFraming;
import io.quasid.job.embedded.EmbeddedKafka;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.DeadLetter;
import io.quasid.schemas.ErrorKind;
import io.quasid.schemas.FramedCodec;
import io.quasid.schemas.HeaderSchemaId;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.Op;
import io.quasid.schemas.SchemaRegistry;
import io.quasid.schemas.SidAssignment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalogue producer that writes with a schema registry (Confluent's wire format, or the id in
 * Apicurio's record headers) gets SIDs, and a downstream consumer can read them in registry
 * framing: the job against a real Apicurio Registry, a real KRaft broker and a MiniCluster. A
 * registry outage holds records back and loses none; only an id the registry does not have is
 * dead-lettered.
 */
class RegistryFramingITCase {

  private static final int ITEMS = 120;
  private static final int PARALLELISM = 2;
  private static final Duration WAIT = Duration.ofMinutes(2);

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(PARALLELISM)
              .build());

  private static EmbeddedKafka kafka;
  private static ApicurioRegistry apicurio;
  private static OutageProxy proxy;
  private static TopicIo io;
  private static List<String> itemIds;
  private static Map<String, float[]> vectors;
  private static Path snapshot;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    kafka = EmbeddedKafka.start();
    apicurio = ApicurioRegistry.start();
    proxy = new OutageProxy(apicurio.ccompatUrl().replace("/apis/ccompat/v7", ""));
    io = new TopicIo(kafka.bootstrapServers());
    TinyBeautyModel model = TinyBeautyModel.write(dir, ITEMS);
    itemIds = model.itemIds();
    vectors = model.vectors();
    snapshot = model.snapshot();
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (apicurio != null) {
      apicurio.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void registryFramedItemsGetSidsWrittenInRegistryFramingAndAnOutageLosesNothing()
      throws Exception {
    String registryUrl = proxy.root() + "/apis/ccompat/v7";
    QuasidJobOptions options =
        QuasidJobOptions.defaults()
            .with(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
            .with(KafkaOptions.GROUP_ID, "registry-it")
            .with(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "registry-it")
            .with(KafkaOptions.START_OFFSETS, StartOffsets.EARLIEST)
            .with(RuntimeOptions.PARALLELISM, PARALLELISM)
            .with(RuntimeOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500))
            .with(RuntimeOptions.RESTART_DELAY, Duration.ofMillis(200))
            .with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString())
            .with(RegistryOptions.URL, registryUrl)
            .with(RegistryOptions.REQUEST_TIMEOUT, Duration.ofSeconds(2))
            .with(RegistryOptions.SINK_FRAMING, ValueFraming.REGISTRY);
    kafka.createJobTopics(options, PARALLELISM);
    String itemsTopic = options.get(KafkaOptions.ITEMS_TOPIC);
    String sidTopic = options.get(KafkaOptions.SID_TOPIC);

    // What a producer with Confluent's serializer does: register under <topic>-value, frame by id.
    SchemaRegistry producerSide = new SchemaRegistry(apicurio.ccompatUrl(), Duration.ofSeconds(5));
    Schema current = ItemFeatureEvent.getClassSchema();
    int currentId = producerSide.register(itemsTopic + "-value", current);
    List<String> first = itemIds.subList(0, ITEMS / 2);
    List<String> second = itemIds.subList(ITEMS / 2, ITEMS);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    first.forEach(id -> records.add(Map.entry(id, framed(currentId, current, id))));
    records.add(Map.entry("no-such-id", new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 2}));
    // Apicurio's serializers with headers enabled: the value is the bare body. The artifact's
    // global id is not the Confluent API's id of the same schema (a content id), so a lookup by
    // the wrong id would fail.
    long[] artifact = apicurio.registerArtifact(itemsTopic + "-headers", current);
    assertThat(artifact[0]).isNotEqualTo(currentId);
    List<ProducerRecord<byte[], byte[]>> headerMode = new ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      String id = first.get(i);
      HeaderSchemaId.Kind kind = HeaderSchemaId.Kind.values()[i % 2];
      long schemaId = kind == HeaderSchemaId.Kind.GLOBAL_ID ? artifact[0] : artifact[1];
      headerMode.add(headerMode(itemsTopic, id, kind, schemaId, body(current, id)));
    }
    headerMode.add(
        headerMode(
            itemsTopic, "no-such-global-id", HeaderSchemaId.Kind.GLOBAL_ID, 987_654, new byte[2]));
    io.send(itemsTopic, records);
    io.sendRecords(headerMode);

    JobClient job = QuasidStreamJob.submit(options, "registry-it");
    try {
      readSids(sidTopic, new HashSet<>(first));

      // A later producer release (one more optional field) registers a new id while the registry
      // is unreachable to the job: its records wait, they are not dead letters.
      proxy.down(true);
      Schema newer = withExtraOptionalField(current);
      int newerId = producerSide.register(itemsTopic + "-value", newer);
      assertThat(newerId).isNotEqualTo(currentId);
      io.send(
          itemsTopic,
          second.stream().map(id -> Map.entry(id, framed(newerId, newer, id))).toList());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (proxy.refused() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(proxy.refused()).as("the job asked the registry during the outage").isPositive();
      Thread.sleep(2_000);
      proxy.down(false);

      Map<String, SidAssignment> sids = readSids(sidTopic, new HashSet<>(itemIds));
      assertThat(sids.keySet()).containsAll(itemIds);
      Set<String> distinct = new HashSet<>();
      sids.values().forEach(a -> assertThat(distinct.add(a.getSid())).isTrue());
      try (SidTable table =
          SidTable.builder(kafka.bootstrapServers(), sidTopic)
              .schemaRegistry(apicurio.ccompatUrl(), Duration.ofSeconds(5))
              .start()) {
        assertThat(table.awaitCaughtUp(WAIT)).isTrue();
        assertThat(table.undecodableRecords()).isZero();
        assertThat(table.size()).isEqualTo(ITEMS);
        itemIds.forEach(
            id -> assertThat(table.sidOf(id)).contains(sids.get(id).getSid().toString()));
      }

      List<ConsumerRecord<String, byte[]>> dead =
          io.readCommittedUntil(
              options.get(KafkaOptions.DEAD_LETTER_TOPIC), r -> !r.isEmpty(), WAIT);
      FramedCodec<DeadLetter> letters =
          FramedCodec.singleObject(AvroWire.DEAD_LETTERS).readingRegistry(producerSide);
      List<DeadLetter> deadLetters = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r : dead) {
        deadLetters.add(letters.decode(r.value()));
      }
      assertThat(deadLetters)
          .as("only the two records naming ids the registry lacks")
          .hasSize(2)
          .allSatisfy(l -> assertThat(l.getErrorKind()).isEqualTo(ErrorKind.UNDECODABLE))
          .anySatisfy(l -> assertThat(l.getReason()).contains("UNKNOWN_SCHEMA", "32639"))
          .anySatisfy(
              l ->
                  assertThat(l.getReason())
                      .contains("UNKNOWN_SCHEMA", "apicurio.value.globalId=987654"));
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  /** Reads the SID topic until every id has an assignment; every value is registry framed. */
  private static Map<String, SidAssignment> readSids(String topic, Set<String> ids)
      throws Exception {
    SchemaRegistry consumerSide = new SchemaRegistry(apicurio.ccompatUrl(), Duration.ofSeconds(5));
    FramedCodec<SidAssignment> codec =
        FramedCodec.singleObject(AvroWire.SID_ASSIGNMENTS).readingRegistry(consumerSide);
    List<ConsumerRecord<String, byte[]>> read =
        io.readCommittedUntil(
            topic,
            records -> records.stream().map(ConsumerRecord::key).toList().containsAll(ids),
            WAIT);
    Map<String, SidAssignment> latest = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : read) {
      assertThat(r.value()[0]).as("registry framing's magic byte").isZero();
      int id = ByteBuffer.wrap(r.value(), 1, 4).getInt();
      assertThat(consumerSide.schema(id).getFullName())
          .isEqualTo(SidAssignment.getClassSchema().getFullName());
      latest.put(r.key(), codec.decode(r.value()));
    }
    assertThat(latest.keySet()).containsAll(ids);
    return latest;
  }

  private static ProducerRecord<byte[], byte[]> headerMode(
      String topic, String key, HeaderSchemaId.Kind kind, long schemaId, byte[] body) {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), body);
    r.headers().add(kind.header(), ByteBuffer.allocate(8).putLong(schemaId).array());
    r.headers().add(HeaderSchemaId.ENCODING_HEADER, "BINARY".getBytes(StandardCharsets.UTF_8));
    return r;
  }

  private static byte[] framed(int schemaId, Schema writer, String itemId) {
    byte[] body = body(writer, itemId);
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(schemaId).put(body).array();
  }

  private static byte[] body(Schema writer, String itemId) {
    GenericRecord record = new GenericData.Record(writer);
    List<Float> features = new ArrayList<>();
    for (float v : vectors.get(itemId)) {
      features.add(v);
    }
    record.put("item_id", itemId);
    record.put("features", features);
    record.put("product_group_id", null);
    record.put("op", new GenericData.EnumSymbol(writer.getField("op").schema(), Op.UPSERT.name()));
    record.put("event_time", Instant.now().toEpochMilli());
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Schema withExtraOptionalField(Schema schema) {
    String json = schema.toString();
    String extra = "{\"name\":\"source_system\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    return new Schema.Parser().parse(json.substring(0, json.length() - 2) + "," + extra);
  }
}
