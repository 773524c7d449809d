package io.quasid.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.job.QuasidStreamJob;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.ModelOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.config.StartOffsets;
import io.quasid.job.embedded.EmbeddedKafka;
import io.quasid.job.sample.BeautyCatalog;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.Op;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL of the README against the real broker: the items topic and the SID topic as tables
 * ({@code quasid-avro}), a QuaSID model ({@code CREATE MODEL ... 'provider' = 'quasid'}) and {@code
 * ML_PREDICT}, which must give every item the codes the job assigned it from the same snapshot.
 */
class MlPredictITCase {

  private static final int ITEMS = 200;
  private static final Duration WAIT = Duration.ofMinutes(2);

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(6)
              .build());

  private static EmbeddedKafka kafka;
  private static Path snapshot;
  private static List<String> itemIds;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    kafka = EmbeddedKafka.start();
    BeautyCatalog catalog = BeautyCatalog.load();
    itemIds = catalog.itemIds().subList(0, ITEMS);
    QuasidConfig config =
        QuasidConfig.builder(catalog.dimension())
            .encoderHidden(64)
            .latentDim(16)
            .levels(3)
            .codebookSize(16)
            .kmeansIterations(5)
            .build();
    try (QuasidModel model = QuasidModel.create(config)) {
      model.initCodebooks(itemIds.stream().map(catalog::features).toArray(float[][]::new));
      snapshot = dir.resolve("quasid.snapshot");
      Files.write(snapshot, model.snapshot().bytes());
    }
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      kafka.createJobTopics(jobOptions(), 1);
      for (String id : itemIds) {
        producer.send(
            new ProducerRecord<>(
                "item-features",
                id.getBytes(StandardCharsets.UTF_8),
                item(id, catalog.features(id))));
      }
      // A NaN vector: the job dead-letters it; SQL, which has no dead-letter topic, gives NULL.
      float[] nan = catalog.features(itemIds.get(0));
      nan[3] = Float.NaN;
      producer.send(
          new ProducerRecord<>(
              "item-features", "nan".getBytes(StandardCharsets.UTF_8), item("nan", nan)));
      producer.flush();
    }
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static QuasidJobOptions jobOptions() {
    return QuasidJobOptions.defaults()
        .with(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
        .with(KafkaOptions.START_OFFSETS, StartOffsets.EARLIEST)
        .with(RuntimeOptions.PARALLELISM, 1)
        .with(RuntimeOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500))
        .with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString());
  }

  @Test
  void mlPredictGivesTheCodesTheJobAssigned() throws Exception {
    JobClient job = QuasidStreamJob.submit(jobOptions(), "quasid-sql-it");
    StreamTableEnvironment sql = tableEnvironment();
    try {
      sql.executeSql(
          createTable("sid_assignments", "sid-assignments", "codes ARRAY<INT>, sid STRING"));
      Map<String, List<Integer>> assigned = new HashMap<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (assigned.size() < ITEMS && System.nanoTime() < deadline) {
        assigned = codes(sql, "SELECT item_id, codes FROM sid_assignments");
        Thread.sleep(500);
      }
      assertThat(assigned).as("the job's SIDs, read as a table").hasSize(ITEMS);

      sql.executeSql(createTable("items", "item-features", "features ARRAY<FLOAT>"));
      sql.executeSql(
          "CREATE MODEL quasid INPUT (features ARRAY<FLOAT>) OUTPUT (codes ARRAY<INT>)"
              + " WITH ('provider' = 'quasid', 'snapshot' = '"
              + snapshot
              + "')");
      Map<String, List<Integer>> predicted =
          codes(
              sql,
              "SELECT item_id, codes FROM ML_PREDICT(TABLE items, MODEL quasid,"
                  + " DESCRIPTOR(features))");
      Map<String, List<Integer>> predictedSync =
          codes(
              sql,
              "SELECT item_id, codes FROM ML_PREDICT(TABLE items, MODEL quasid,"
                  + " DESCRIPTOR(features), MAP['async', 'false'])");

      assertThat(predicted).hasSize(ITEMS + 1).containsEntry("nan", null);
      predicted.remove("nan");
      assertThat(predicted).isEqualTo(assigned);
      predictedSync.remove("nan");
      assertThat(predictedSync).isEqualTo(assigned);
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aModelWithoutASnapshotOrAColumnOfAnotherTypeIsRefused() {
    StreamTableEnvironment sql = tableEnvironment();
    sql.executeSql(createTable("items", "item-features", "features ARRAY<FLOAT>"));
    sql.executeSql(
        "CREATE MODEL nowhere INPUT (features ARRAY<FLOAT>) OUTPUT (codes ARRAY<INT>)"
            + " WITH ('provider' = 'quasid')");
    sql.executeSql(
        "CREATE MODEL doubles INPUT (features ARRAY<DOUBLE>) OUTPUT (codes ARRAY<INT>)"
            + " WITH ('provider' = 'quasid', 'snapshot' = '"
            + snapshot
            + "')");

    assertThatThrownBy(
            () ->
                sql.executeSql(
                    "SELECT * FROM ML_PREDICT(TABLE items, MODEL nowhere, DESCRIPTOR(features))"))
        .hasStackTraceContaining("give exactly one of 'snapshot' and 'saved-model'");
    assertThatThrownBy(
            () ->
                sql.executeSql(
                    "SELECT * FROM ML_PREDICT(TABLE items, MODEL doubles, DESCRIPTOR(features))"))
        .hasStackTraceContaining("INPUT is one ARRAY<FLOAT> column");
  }

  /** One slot per query: the job holds the others. */
  private static StreamTableEnvironment tableEnvironment() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    return StreamTableEnvironment.create(env);
  }

  private static String createTable(String name, String topic, String columns) {
    return "CREATE TABLE "
        + name
        + " (item_id STRING, "
        + columns
        + ") WITH ('connector' = 'kafka', 'topic' = '"
        + topic
        + "', 'properties.bootstrap.servers' = '"
        + kafka.bootstrapServers()
        + "', 'properties.isolation.level' = 'read_committed',"
        + " 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',"
        + " 'format' = 'quasid-avro', 'quasid-avro.record' = '"
        + topic
        + "')";
  }

  /** Runs a bounded query of (item_id, codes) rows; the latest row per item wins. */
  private static Map<String, List<Integer>> codes(StreamTableEnvironment sql, String query)
      throws Exception {
    Map<String, List<Integer>> out = new HashMap<>();
    try (CloseableIterator<Row> rows = sql.executeSql(query).collect()) {
      while (rows.hasNext()) {
        Row row = rows.next();
        Integer[] codes = (Integer[]) row.getField(1);
        out.put((String) row.getField(0), codes == null ? null : List.of(codes));
      }
    }
    return out;
  }

  private static byte[] item(String id, float[] vector) {
    List<Float> features = new ArrayList<>();
    for (float v : vector) {
      features.add(v);
    }
    return AvroWire.ITEM_FEATURES.encode(
        ItemFeatureEvent.newBuilder()
            .setItemId(id)
            .setFeatures(features)
            .setOp(Op.UPSERT)
            .setEventTime(Instant.now())
            .build());
  }
}
