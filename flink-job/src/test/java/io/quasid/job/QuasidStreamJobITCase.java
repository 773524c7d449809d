package io.quasid.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.job.config.InputOptions;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.ModelOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.config.StartOffsets;
import io.quasid.job.embedded.EmbeddedKafka;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.DeadLetter;
import io.quasid.schemas.ErrorKind;
import io.quasid.schemas.InteractionEvent;
import io.quasid.schemas.SidAssignment;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a MiniCluster against a real KRaft broker, with the real QuasidModel on CPU and
 * a subset of the Beauty catalogue. Assignments are read as a read_committed consumer, i.e. what
 * the exactly-once sink has committed.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class QuasidStreamJobITCase {

  private static final int ITEMS = 240;
  private static final int PARALLELISM = 2;
  private static final Duration WAIT = Duration.ofMinutes(2);

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(PARALLELISM)
              .build());

  private static final AtomicInteger RUN = new AtomicInteger();
  private static EmbeddedKafka kafka;
  private static TopicIo io;
  private static List<String> itemIds;
  private static Map<String, float[]> vectors;
  private static Map<String, int[]> expectedCodes;
  private static Path snapshot;

  @BeforeAll
  static void startBrokerAndModel(@TempDir Path dir) throws Exception {
    kafka = EmbeddedKafka.start();
    io = new TopicIo(kafka.bootstrapServers());
    TinyBeautyModel model = TinyBeautyModel.write(dir, ITEMS);
    itemIds = model.itemIds();
    vectors = model.vectors();
    expectedCodes = model.codes();
    snapshot = model.snapshot();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** Fresh topics, consumer group and transactional ids per test. */
  private static QuasidJobOptions freshJob() {
    int run = RUN.incrementAndGet();
    QuasidJobOptions options =
        QuasidJobOptions.defaults()
            .with(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
            .with(KafkaOptions.ITEMS_TOPIC, "items-" + run)
            .with(KafkaOptions.INTERACTIONS_TOPIC, "interactions-" + run)
            .with(KafkaOptions.SID_TOPIC, "sids-" + run)
            .with(KafkaOptions.DEAD_LETTER_TOPIC, "dead-" + run)
            .with(KafkaOptions.MIGRATIONS_TOPIC, "migrations-" + run)
            .with(KafkaOptions.GROUP_ID, "it-" + run)
            .with(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "it-" + run)
            .with(KafkaOptions.START_OFFSETS, StartOffsets.EARLIEST)
            .with(RuntimeOptions.PARALLELISM, PARALLELISM)
            .with(RuntimeOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500))
            .with(RuntimeOptions.RESTART_DELAY, Duration.ofMillis(200))
            .with(InputOptions.MAX_RECORD_BYTES, 1024)
            .with(InputOptions.UNKNOWN_ITEM_GRACE, Duration.ofMillis(500))
            .with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString());
    kafka.createJobTopics(options, PARALLELISM);
    return options;
  }

  private static List<Map.Entry<String, byte[]>> upserts(List<String> ids) {
    return ids.stream().map(id -> Map.entry(id, TopicIo.item(id, vectors.get(id)))).toList();
  }

  private static List<ConsumerRecord<String, byte[]>> readSids(
      JobClient job, QuasidJobOptions options, Set<String> live, Set<String> deleted) {
    return io.readCommittedUntil(
        options.get(KafkaOptions.SID_TOPIC),
        records -> {
          failIfJobEnded(job);
          Map<String, byte[]> latest = latest(records);
          return live.stream().allMatch(id -> latest.get(id) != null)
              && deleted.stream().allMatch(id -> latest.containsKey(id) && latest.get(id) == null);
        },
        WAIT);
  }

  private static void failIfJobEnded(JobClient job) {
    try {
      if (job.getJobStatus().get().isGloballyTerminalState()) {
        job.getJobExecutionResult().get();
        throw new AssertionError("job ended early");
      }
    } catch (Exception e) {
      throw new AssertionError("job ended early", e);
    }
  }

  /** The compacted view: last value per key (null for a tombstone). */
  private static Map<String, byte[]> latest(List<ConsumerRecord<String, byte[]>> records) {
    Map<String, byte[]> latest = new HashMap<>();
    records.forEach(r -> latest.put(r.key(), r.value()));
    return latest;
  }

  /** Every live item holds the codes of the model and a SID no other live item holds. */
  private static void assertConsistentLiveView(Map<String, byte[]> latest, Set<String> live) {
    Set<String> sids = new HashSet<>();
    for (String id : live) {
      SidAssignment a = TopicIo.sidAssignment(latest.get(id));
      assertThat(a.getItemId()).isEqualTo(id);
      assertThat(a.getCodes().stream().mapToInt(Integer::intValue).toArray())
          .as("codes of %s", id)
          .containsExactly(expectedCodes.get(id));
      assertThat(a.getSid())
          .startsWith(
              a.getCodes().stream().map(String::valueOf).collect(Collectors.joining("-")) + "/");
      assertThat(sids.add(a.getSid())).as("SID %s held by two items", a.getSid()).isTrue();
    }
  }

  /** Runs beside a busy thread per core: the load under which a valid interaction was once lost. */
  @Test
  void everyItemGetsExactlyOneLatestAssignmentAndBadRecordsAreDeadLettered() throws Exception {
    QuasidJobOptions options = freshJob();
    String itemsTopic = options.get(KafkaOptions.ITEMS_TOPIC);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>(upserts(itemIds));
    float[] nan = vectors.get(itemIds.get(0)).clone();
    nan[5] = Float.NaN;
    records.add(Map.entry("bad-bytes", new byte[] {0, 1, 2, 3}));
    records.add(Map.entry("short", TopicIo.item("short", new float[] {1f, 2f})));
    records.add(Map.entry("nan", TopicIo.item("nan", nan)));
    records.add(Map.entry("", TopicIo.item("", vectors.get(itemIds.get(0)))));
    records.add(Map.entry("big", TopicIo.item("big", new float[300])));
    // 22 bytes declaring 4e8 floats: an OutOfMemoryError and a crash loop before the fix.
    byte[] bomb = TopicIo.item("a", new float[0]);
    byte[] arrayBomb = java.util.Arrays.copyOf(bomb, 17);
    System.arraycopy(
        new byte[] {(byte) 0x80, (byte) 0x90, (byte) 0xBC, (byte) 0xFD, 0x02}, 0, arrayBomb, 12, 5);
    records.add(Map.entry("bomb", arrayBomb));
    // Its dead letter once carried the key twice, over the producer's 1 MiB limit: a crash loop.
    String hugeKey = "k".repeat(600_000);
    records.add(Map.entry(hugeKey, new byte[] {9, 9, 9, 9, 9}));
    io.send(itemsTopic, records);
    io.send(
        options.get(KafkaOptions.INTERACTIONS_TOPIC),
        List.of(
            Map.entry("u1", interaction("u1", itemIds.get(1))),
            Map.entry("u1", interaction("u1", "no-such-item"))));

    CpuHog hog = CpuHog.onEveryCore();
    JobClient job = QuasidStreamJob.submit(options, "quasid-it");
    try {
      String deletedId = itemIds.get(7);
      Set<String> live = new HashSet<>(itemIds);
      readSids(job, options, live, Set.of());
      io.send(itemsTopic, List.of(Map.entry(deletedId, TopicIo.item(deletedId, new float[0]))));
      live.remove(deletedId);

      List<ConsumerRecord<String, byte[]>> sids = readSids(job, options, live, Set.of(deletedId));
      Map<String, byte[]> latest = latest(sids);
      assertThat(latest.keySet()).isEqualTo(new HashSet<>(itemIds));
      assertThat(latest.get(deletedId)).as("tombstone").isNull();
      assertConsistentLiveView(latest, live);
      Map<String, Long> perKey =
          sids.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
      assertThat(perKey)
          .allSatisfy((id, n) -> assertThat(n).isEqualTo(id.equals(deletedId) ? 2 : 1));

      List<ConsumerRecord<String, byte[]>> dead =
          io.readCommittedUntil(
              options.get(KafkaOptions.DEAD_LETTER_TOPIC), r -> r.size() >= 8, WAIT);
      List<DeadLetter> letters = dead.stream().map(r -> deadLetter(r.value())).toList();
      assertThat(letters)
          .as(
              "dead letters and the rule that fired: %s",
              letters.stream().map(l -> l.getErrorKind() + ": " + l.getReason()).toList())
          .extracting(DeadLetter::getErrorKind)
          .containsExactlyInAnyOrder(
              ErrorKind.UNDECODABLE,
              ErrorKind.UNDECODABLE,
              ErrorKind.UNDECODABLE,
              ErrorKind.WRONG_DIMENSION,
              ErrorKind.NON_FINITE,
              ErrorKind.EMPTY_ID,
              ErrorKind.OVERSIZE,
              ErrorKind.UNKNOWN_ID);
      assertThat(letters)
          .filteredOn(l -> l.getReason().contains("declares 400000000 items"))
          .hasSize(1);
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      DeadLetter undecodable =
          letters.stream()
              .filter(l -> l.getErrorKind() == ErrorKind.UNDECODABLE)
              .filter(l -> l.getRawValue().remaining() == 4)
              .findFirst()
              .orElseThrow();
      assertThat(undecodable.getSourceTopic()).isEqualTo(itemsTopic);
      assertThat(undecodable.getSourceOffset()).isNotNegative();
      assertThat(undecodable.getRawValue().array()).containsExactly(0, 1, 2, 3);
      DeadLetter hugeKeyed =
          letters.stream()
              .filter(l -> l.getRawKeyLength() != null && l.getRawKeyLength() == 600_000)
              .findFirst()
              .orElseThrow();
      assertThat(hugeKeyed.getRawKey().remaining())
          .isEqualTo(InputOptions.DEAD_LETTER_MAX_KEY_BYTES.defaultValue());
      assertThat(hugeKeyed.getRawValueLength()).isEqualTo(5);
    } finally {
      hog.close();
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void afterAFailureTheJobRestartsFromTheCheckpointWithoutLossOrDuplicates(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    QuasidJobOptions options = freshJob();
    String itemsTopic = options.get(KafkaOptions.ITEMS_TOPIC);
    List<String> firstHalf = itemIds.subList(0, ITEMS / 2);
    List<String> secondHalf = itemIds.subList(ITEMS / 2, ITEMS);
    io.send(itemsTopic, upserts(firstHalf));

    JobClient job = FailOnceAfterCheckpoint.submit(options, "quasid-it", 10L);
    try {
      // Committed output proves a checkpoint completed; the next records hit the failure.
      readSids(job, options, Set.of(firstHalf.get(0)), Set.of());
      io.send(itemsTopic, upserts(secondHalf));

      List<ConsumerRecord<String, byte[]>> sids =
          readSids(job, options, new HashSet<>(itemIds), Set.of());
      Map<String, byte[]> latest = latest(sids);
      assertThat(latest.keySet()).isEqualTo(new HashSet<>(itemIds));
      assertConsistentLiveView(latest, new HashSet<>(itemIds));
      assertThat(sids).as("exactly one committed assignment per item").hasSize(ITEMS);

      AccessExecutionGraph graph = cluster.getExecutionGraph(job.getJobID()).get();
      assertThat(graph.getFailureInfo()).as("the injected failure happened").isNotNull();
      assertThat(graph.getFailureInfo().getExceptionAsString())
          .contains(FailOnceAfterCheckpoint.InjectedFailure.class.getSimpleName());
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void inLowLatencyModeSidsAreVisibleWithoutWaitingForACheckpoint() throws Exception {
    QuasidJobOptions options =
        freshJob()
            .with(KafkaOptions.SID_DELIVERY, DeliveryGuarantee.AT_LEAST_ONCE)
            // No checkpoint completes during this test: exactly-once output would stay invisible.
            .with(RuntimeOptions.CHECKPOINT_INTERVAL, Duration.ofHours(1));
    List<String> ids = itemIds.subList(0, 40);
    io.send(options.get(KafkaOptions.ITEMS_TOPIC), upserts(ids));

    JobClient job = QuasidStreamJob.submit(options, "quasid-it-low-latency");
    try {
      List<ConsumerRecord<String, byte[]>> sids =
          readSids(job, options, new HashSet<>(ids), Set.of());
      Map<String, byte[]> latest = latest(sids);
      assertThat(latest.keySet()).containsAll(ids);
      assertConsistentLiveView(latest, new HashSet<>(ids));
      assertThat(sids)
          .allSatisfy(
              r ->
                  assertThat(TopicIo.sidAssignment(r.value()).getRevision())
                      .as("revision for newest-wins consumers")
                      .isPositive());
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStartFromCommittedOffsetsWithoutStateIsRefusedWhileTheGroupHasOffsets() throws Exception {
    QuasidJobOptions options = freshJob().with(KafkaOptions.START_OFFSETS, StartOffsets.COMMITTED);
    String topic = options.get(KafkaOptions.ITEMS_TOPIC);
    io.send(topic, upserts(itemIds.subList(0, 4)));
    // Without committed offsets COMMITTED falls back to earliest, which is safe: not refused.
    QuasidStreamJob.submit(options, "quasid-it-committed").cancel().get(30, TimeUnit.SECONDS);

    io.commitOffsets(options.get(KafkaOptions.GROUP_ID), topic, 2);

    assertThatThrownBy(() -> QuasidStreamJob.submit(options, "quasid-it-refused"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refusing to start")
        .hasMessageContaining("--source.start=EARLIEST");
    QuasidStreamJob.submit(
            options.with(KafkaOptions.ALLOW_COMMITTED_WITHOUT_STATE, true), "quasid-it-allowed")
        .cancel()
        .get(30, TimeUnit.SECONDS);
  }

  private static byte[] interaction(String user, String item) {
    return AvroWire.INTERACTIONS.encode(
        InteractionEvent.newBuilder()
            .setUserId(user)
            .setItemId(item)
            .setAction("view")
            .setEventTime(Instant.now())
            .build());
  }

  private static DeadLetter deadLetter(byte[] value) {
    try {
      return AvroWire.DEAD_LETTERS.decode(value);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
