package io.quasid.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.config.FeatureSource;
import io.quasid.job.config.InputOptions;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.ModelOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.config.StartOffsets;
import io.quasid.job.config.TextOptions;
import io.quasid.job.embedded.EmbeddedKafka;
import io.quasid.job.text.ItemTexts;
import io.quasid.job.text.SentenceEncoder;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.DeadLetter;
import io.quasid.schemas.ErrorKind;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.ItemText;
import io.quasid.schemas.Op;
import io.quasid.schemas.SidAssignment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalogue producer that has only text: items published with a title, brand, categories and
 * description and no vector get SIDs, embedded in the job by the in-process sentence encoder, with
 * exactly the codes the tokenizer gives the encoder's vectors; an item with no text is a dead
 * letter. The real broker, a MiniCluster, the real encoder and TensorFlow.
 */
class TextItemsITCase {

  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final String[] KINDS = {
    "digital caliper", "glass beaker", "pipette tips", "safety goggles", "lab notebook",
    "microscope slide", "petri dish", "magnetic stirrer", "ph meter", "test tube rack"
  };
  private static final String[] BRANDS = {"Acme Labs", "Kimble", "Eppendorf", "3M"};

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              // Two for the job, one for the embedding stage's slot-sharing group.
              .setNumberSlotsPerTaskManager(3)
              .build());

  private static EmbeddedKafka kafka;
  private static TopicIo io;
  private static Map<String, ItemText> texts;
  private static Map<String, int[]> expectedCodes;
  private static Path snapshot;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    kafka = EmbeddedKafka.start();
    io = new TopicIo(kafka.bootstrapServers());
    texts = new LinkedHashMap<>();
    for (int i = 0; i < 60; i++) {
      String kind = KINDS[i % KINDS.length];
      texts.put(
          "sci-" + i,
          ItemText.newBuilder()
              .setTitle(kind + " model " + (i / KINDS.length))
              .setBrand(BRANDS[i % BRANDS.length])
              .setCategories(List.of("Industrial & Scientific", "Lab Supplies"))
              .setDescription(i % 3 == 0 ? null : "A " + kind + " for teaching and research labs.")
              .build());
    }
    texts.put("sci-twin", texts.get("sci-7")); // the same text under another id: the same codes
    List<String> ids = new ArrayList<>(texts.keySet());
    float[][] embeddings =
        new SentenceEncoder()
            .embed(ids.stream().map(id -> ItemTexts.compose(texts.get(id))).toList());
    QuasidConfig config =
        QuasidConfig.builder(SentenceEncoder.DIMENSION)
            .encoderHidden(64)
            .latentDim(16)
            .levels(3)
            .codebookSize(8)
            .kmeansIterations(5)
            .featureSpace(SentenceEncoder.NAME)
            .build();
    expectedCodes = new HashMap<>();
    try (QuasidModel model = QuasidModel.create(config)) {
      model.initCodebooks(embeddings);
      snapshot = dir.resolve("text.snapshot");
      Files.write(snapshot, model.snapshot().bytes());
      int[][] codes = model.encode(embeddings).codes();
      for (int i = 0; i < ids.size(); i++) {
        expectedCodes.put(ids.get(i), codes[i]);
      }
    }
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void textOnlyItemsGetTheCodesOfTheirEmbeddingsAndItemsWithoutTextAreDeadLettered()
      throws Exception {
    QuasidJobOptions options =
        QuasidJobOptions.defaults()
            .with(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
            .with(KafkaOptions.START_OFFSETS, StartOffsets.EARLIEST)
            .with(RuntimeOptions.PARALLELISM, 2)
            .with(RuntimeOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500))
            .with(InputOptions.VECTOR_DIM, SentenceEncoder.DIMENSION)
            .with(InputOptions.MAX_RECORD_BYTES, 8192)
            .with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString())
            .with(TextOptions.FEATURE_SOURCE, FeatureSource.TEXT)
            .with(TextOptions.PARALLELISM, 1);
    kafka.createJobTopics(options, 2);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    texts.forEach((id, text) -> records.add(Map.entry(id, event(id, List.of(), text))));
    records.add(Map.entry("no-text", event("no-text", List.of(), ItemText.newBuilder().build())));
    records.add(Map.entry("vector-only", event("vector-only", List.of(1f, 2f), null)));
    io.send(options.get(KafkaOptions.ITEMS_TOPIC), records);

    JobClient job = QuasidStreamJob.submit(options, "quasid-text-it");
    try {
      List<ConsumerRecord<String, byte[]>> sids =
          io.readCommittedUntil(
              options.get(KafkaOptions.SID_TOPIC),
              read -> read.stream().map(ConsumerRecord::key).distinct().count() >= texts.size(),
              WAIT);
      Map<String, SidAssignment> latest = new HashMap<>();
      sids.forEach(r -> latest.put(r.key(), TopicIo.sidAssignment(r.value())));
      assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(texts.keySet());
      latest.forEach(
          (id, a) ->
              assertThat(TopicIo.codes(a))
                  .as("codes of %s", id)
                  .containsExactly(expectedCodes.get(id)));
      assertThat(TopicIo.codes(latest.get("sci-twin")))
          .containsExactly(TopicIo.codes(latest.get("sci-7")));

      List<DeadLetter> dead =
          io
              .readCommittedUntil(
                  options.get(KafkaOptions.DEAD_LETTER_TOPIC), r -> r.size() >= 2, WAIT)
              .stream()
              .map(r -> decode(r.value()))
              .toList();
      assertThat(dead)
          .extracting(DeadLetter::getErrorKind)
          .containsExactly(ErrorKind.INVALID, ErrorKind.INVALID);
      assertThat(dead)
          .extracting(DeadLetter::getReason)
          .anySatisfy(r -> assertThat(r).contains("item no-text: no text to embed"))
          .anySatisfy(r -> assertThat(r).contains("item vector-only: no text to embed"));
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  private static byte[] event(String id, List<Float> vector, ItemText text) {
    return AvroWire.ITEM_FEATURES.encode(
        ItemFeatureEvent.newBuilder()
            .setItemId(id)
            .setFeatures(vector)
            .setOp(Op.UPSERT)
            .setEventTime(Instant.now())
            .setText(text)
            .build());
  }

  private static DeadLetter decode(byte[] value) {
    try {
      return AvroWire.DEAD_LETTERS.decode(value);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
