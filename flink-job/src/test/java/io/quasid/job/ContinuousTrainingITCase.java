package io.quasid.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.client.MigrationSummaries;
import io.quasid.client.PublishedMigration;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.ModelOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.config.StartOffsets;
import io.quasid.job.embedded.EmbeddedKafka;
import io.quasid.job.sample.BeautyCatalog;
import io.quasid.job.sample.CatalogPublisher;
import io.quasid.job.sample.UserSequence;
import io.quasid.job.training.BatchOptions;
import io.quasid.job.training.PairOptions;
import io.quasid.job.training.PublishOptions;
import io.quasid.model.QuasidModel;
import io.quasid.schemas.MigrationOutcome;
import io.quasid.schemas.SidAssignment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
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
 * Continuous fine-tuning end to end (issue 4) on a slice of the bundled Beauty data, a real KRaft
 * broker and a MiniCluster: the trainer publishes versions, the assigner re-encodes the catalogue
 * with each, a failure mid-run restarts everything from a checkpoint, and at the end the committed
 * SID topic holds one live assignment per item, all consistent with the newest version.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ContinuousTrainingITCase {

  private static final int ITEMS = 1500;
  private static final int USERS = 5000;
  private static final int PARALLELISM = 2;
  private static final Duration WAIT = Duration.ofMinutes(3);

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              // The trainer's gauges: what it restored after the failure, when it stopped stepping.
              .setConfiguration(TrainerGauges.addTo(new Configuration()))
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(PARALLELISM)
              .build());

  private static EmbeddedKafka kafka;
  private static TopicIo io;
  private static List<String> itemIds;
  private static Map<String, float[]> vectors;
  private static List<UserSequence> sequences;

  @BeforeAll
  static void startBrokerAndLoadSlice() {
    kafka = EmbeddedKafka.start();
    io = new TopicIo(kafka.bootstrapServers());
    BeautyCatalog catalog = BeautyCatalog.load();
    itemIds = catalog.itemIds().subList(0, ITEMS);
    vectors = new HashMap<>();
    itemIds.forEach(id -> vectors.put(id, catalog.features(id)));
    // Users' histories restricted to the slice: co-engagement among the slice's items only.
    sequences =
        catalog.sequences().stream()
            .map(
                s ->
                    new UserSequence(
                        s.userId(), s.itemIds().stream().filter(vectors::containsKey).toList()))
            .filter(s -> s.itemIds().size() >= 2)
            .limit(USERS)
            .toList();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void trainerPublishesVersionsThatSurviveARestartAndReassignEveryItem(
      @InjectMiniCluster MiniCluster cluster, @TempDir Path dir) throws Exception {
    Path exports = dir.resolve("versions");
    QuasidJobOptions options = options(dir, exports);
    String itemsTopic = options.get(KafkaOptions.ITEMS_TOPIC);
    io.send(itemsTopic, upserts());
    try (CatalogPublisher publisher = new CatalogPublisher(kafka.bootstrapServers())) {
      publisher.publishInteractions(
          sequences, options.get(KafkaOptions.INTERACTIONS_TOPIC), Instant.now());
    }

    JobClient job = FailOnceAfterCheckpoint.submit(options, "quasid-training-it", ITEMS * 3L / 4);
    try {
      awaitVersions(exports, 2);
      long exportedBeforeFailure = exportedVersions(exports).lastKey();
      Set<Metric> firstTrainer = TrainerGauges.registered();
      // The catalogue once more: each of the two decoding subtasks (about ITEMS / 2 records each so
      // far) passes the hook's 3/4 ITEMS, so the job fails after a completed checkpoint, with
      // trained versions already in the trainer's state.
      io.send(itemsTopic, upserts());

      AccessExecutionGraph graph = awaitFailure(cluster, job);
      long failedAt = graph.getFailureInfo().getTimestamp();
      assertThat(graph.getFailureInfo().getExceptionAsString())
          .contains(FailOnceAfterCheckpoint.InjectedFailure.class.getSimpleName());

      // Resumed, not restarted: the restarted trainer opens with the version and step of its
      // checkpoint (at least the versions exported before the failure, which were exported only
      // once their checkpoint completed), not with a fresh model at step 0.
      long[] restored = awaitRestartedTrainer(firstTrainer);
      assertThat(restored[0])
          .as("restored model version")
          .isGreaterThanOrEqualTo(exportedBeforeFailure);
      assertThat(restored[1]).as("restored model step").isPositive();

      List<ConsumerRecord<String, byte[]>> committed = new ArrayList<>();
      Map<String, SidAssignment> live =
          awaitQuiescentLiveView(options, exports, firstTrainer, committed);
      TreeMap<Long, Path> versions = exportedVersions(exports);
      long first = versions.firstKey();
      long last = versions.lastKey();
      assertThat(versions).as("published versions").hasSizeGreaterThanOrEqualTo(2);
      // No version was written again after the failure: a fresh trainer would start over at 1.
      assertThat(versions.headMap(exportedBeforeFailure, true).values())
          .allSatisfy(p -> assertThat(modifiedAfter(p, failedAt)).isFalse());

      // One live assignment per item, consistent with the newest version, SIDs unique.
      assertThat(live.keySet()).isEqualTo(new HashSet<>(itemIds));
      Map<String, int[]> newest = encodeAll(versions.get(last));
      Set<String> sids = new HashSet<>();
      for (String id : itemIds) {
        SidAssignment a = live.get(id);
        assertThat(a.getModelVersion()).as("version of %s", id).isBetween(0L, last);
        assertThat(TopicIo.codes(a)).as("codes of %s", id).containsExactly(newest.get(id));
        assertThat(sids.add(a.getSid())).as("SID %s held twice", a.getSid()).isTrue();
      }

      // With the defaults the gate measures the whole catalogue (held-out fraction 1.0, capacity
      // above ITEMS) at zero tolerance: no version is published that collides more than the one
      // before it, and training must produce one that collides less.
      double firstRate = collisionRate(encodeAll(versions.get(first)));
      double lastRate = collisionRate(newest);
      System.out.printf(
          "ContinuousTrainingITCase: %d versions %d..%d, catalogue collision rate %.4f -> %.4f;"
              + " %d exported before the failure, trainer resumed at version %d step %d%n",
          versions.size(),
          first,
          last,
          firstRate,
          lastRate,
          exportedBeforeFailure,
          restored[0],
          restored[1]);
      assertThat(lastRate).as("collision rate, final vs first version").isLessThan(firstRate);

      assertMigrationSummaries(options, last, committed);
    } finally {
      cancelAndAwait(job);
    }
  }

  /**
   * The migrations topic, read with the client: one summary per version (none twice, though the job
   * failed and restored in between), none of a version the trainer never published, and the last
   * version's moves are exactly the moved SIDs committed under it. Earlier versions may show fewer
   * moves on the SID topic than they counted: the publisher drops a decision that a later version's
   * decision for the same item overtook.
   */
  private static void assertMigrationSummaries(
      QuasidJobOptions options, long last, List<ConsumerRecord<String, byte[]>> committed)
      throws Exception {
    List<PublishedMigration> read = new CopyOnWriteArrayList<>();
    try (MigrationSummaries summaries =
        MigrationSummaries.start(
            kafka.bootstrapServers(),
            options.get(KafkaOptions.MIGRATIONS_TOPIC),
            Map.of(),
            read::add)) {
      PublishedMigration lastSummary = summaries.await(last, WAIT);
      assertThat(lastSummary.outcome()).isEqualTo(MigrationOutcome.COMPLETED);
      assertThat(lastSummary.itemsReEncoded()).isBetween(lastSummary.itemsMoved(), (long) ITEMS);
      assertThat(lastSummary.itemsMoveCap()).as("no cap under ALWAYS").isNull();
      assertThat(read.stream().map(PublishedMigration::version))
          .as("one summary per version")
          .doesNotHaveDuplicates()
          .allSatisfy(v -> assertThat(v).isBetween(1L, last));
      Map<Long, Long> movesOnTopic = new HashMap<>();
      for (ConsumerRecord<String, byte[]> r : committed) {
        SidAssignment a = TopicIo.sidAssignment(r.value());
        if (a.getPreviousSid() != null) {
          movesOnTopic.merge(a.getModelVersion(), 1L, Long::sum);
        }
      }
      for (PublishedMigration m : read) {
        assertThat(movesOnTopic.getOrDefault(m.version(), 0L))
            .as("moved SIDs committed under v%d", m.version())
            .isLessThanOrEqualTo(m.itemsMoved());
      }
      assertThat(movesOnTopic.getOrDefault(last, 0L)).isEqualTo(lastSummary.itemsMoved());
      System.out.printf("ContinuousTrainingITCase: migrations %s%n", read);
    }
  }

  /** Cancels and waits until the job is gone, so it writes no checkpoint into a deleted dir. */
  private static void cancelAndAwait(JobClient job) throws Exception {
    job.cancel().get(30, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!job.getJobStatus().get().isGloballyTerminalState() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private static QuasidJobOptions options(Path dir, Path exports) {
    QuasidJobOptions options =
        QuasidJobOptions.defaults()
            .with(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
            .with(KafkaOptions.GROUP_ID, "training-it")
            .with(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "training-it")
            .with(KafkaOptions.START_OFFSETS, StartOffsets.EARLIEST)
            .with(RuntimeOptions.PARALLELISM, PARALLELISM)
            .with(RuntimeOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1))
            .with(RuntimeOptions.CHECKPOINT_DIR, dir.resolve("checkpoints").toUri().toString())
            .with(RuntimeOptions.RESTART_DELAY, Duration.ofMillis(200))
            .with(ModelOptions.MODEL_LEVELS, 3)
            .with(ModelOptions.MODEL_CODEBOOK_SIZE, 16)
            .with(ModelOptions.MODEL_LATENT_DIM, 16)
            .with(ModelOptions.MODEL_ENCODER_HIDDEN, "128,64")
            .with(QuasidJobOptions.TRAINING_ENABLED, true)
            .with(BatchOptions.INIT_MIN_ROWS, 256)
            .with(PairOptions.MAX_PAIRS_PER_EVENT, 2)
            .with(BatchOptions.MAX_STEPS_PER_SECOND, 40.0)
            .with(PublishOptions.PUBLISH_EVERY_STEPS, 25)
            .with(PublishOptions.EXPORT_DIR, exports.toString());
    kafka.createJobTopics(options, PARALLELISM);
    return options;
  }

  private static List<Map.Entry<String, byte[]>> upserts() {
    return itemIds.stream().map(id -> Map.entry(id, TopicIo.item(id, vectors.get(id)))).toList();
  }

  private static void awaitVersions(Path exports, int count) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (exportedVersions(exports).size() < count) {
      assertThat(System.nanoTime()).as("%d versions in time", count).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static AccessExecutionGraph awaitFailure(MiniCluster cluster, JobClient job)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      AccessExecutionGraph graph = cluster.getExecutionGraph(job.getJobID()).get();
      ErrorInfo failure = graph.getFailureInfo();
      if (failure != null) {
        return graph;
      }
      assertThat(System.nanoTime()).as("the injected failure in time").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /**
   * Waits until the failure's replacement trainer has registered its gauges; returns its model
   * version and step as it opened (a task registers them in open, after restoring its state).
   */
  private static long[] awaitRestartedTrainer(Set<Metric> failed) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      OptionalLong version = TrainerGauges.gauge("modelVersion", failed);
      OptionalLong step = TrainerGauges.gauge("modelStep", failed);
      if (version.isPresent() && step.isPresent()) {
        return new long[] {version.getAsLong(), step.getAsLong()};
      }
      assertThat(System.nanoTime()).as("the restarted trainer in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /**
   * Reads the committed SID topic until the trainer has stopped stepping (its input is used up) and
   * every item's latest assignment holds the codes of the newest exported version (an item whose
   * codes did not change keeps its earlier assignment and version); returns the compacted view.
   */
  private static Map<String, SidAssignment> awaitQuiescentLiveView(
      QuasidJobOptions options,
      Path exports,
      Set<Metric> failed,
      List<ConsumerRecord<String, byte[]>> committed) {
    Map<String, SidAssignment> live = new HashMap<>();
    AtomicReference<String> unmet = new AtomicReference<>("nothing read yet");
    AtomicLong lastStep = new AtomicLong(-1);
    AtomicLong stepChangedAt = new AtomicLong(System.nanoTime());
    committed.addAll(
        io.readCommittedUntil(
            options.get(KafkaOptions.SID_TOPIC),
            records -> {
              live.clear();
              for (ConsumerRecord<String, byte[]> r : records) {
                live.put(r.key(), TopicIo.sidAssignment(r.value()));
              }
              long step = TrainerGauges.gauge("modelStep", failed).orElse(-1);
              if (step != lastStep.getAndSet(step)) {
                stepChangedAt.set(System.nanoTime());
              }
              // A checkpoint interval and more without a step: no exports can still be pending.
              boolean trainerDone =
                  System.nanoTime() - stepChangedAt.get() > TimeUnit.SECONDS.toNanos(5);
              TreeMap<Long, Path> versions = exportedVersions(exports);
              if (versions.size() < 2) {
                unmet.set(versions.size() + " versions exported");
              } else if (live.size() < ITEMS) {
                unmet.set(live.size() + " items with a committed SID");
              } else if (!trainerDone) {
                unmet.set("the trainer is still stepping (step " + step + ")");
              } else {
                // Not cached per version number: a restart may export a number again with the
                // weights
                // of the resumed model (TRAINING.md, "Export"), and the job then serves those.
                Map<String, int[]> newest = encodeAll(versions.lastEntry().getValue());
                long stale =
                    live.entrySet().stream()
                        .filter(
                            e ->
                                !Arrays.equals(TopicIo.codes(e.getValue()), newest.get(e.getKey())))
                        .count();
                unmet.set(
                    stale == 0
                        ? null
                        : stale + " items without the codes of version " + versions.lastKey());
              }
              return unmet.get() == null;
            },
            WAIT));
    assertThat(unmet.get()).as("quiescent live view within %s", WAIT).isNull();
    return live;
  }

  private static TreeMap<Long, Path> exportedVersions(Path exports) {
    TreeMap<Long, Path> versions = new TreeMap<>();
    if (!Files.isDirectory(exports)) {
      return versions;
    }
    try (Stream<Path> files = Files.list(exports)) {
      files
          .filter(p -> p.getFileName().toString().matches("quasid-v\\d+\\.snapshot"))
          .forEach(p -> versions.put(version(p), p));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return versions;
  }

  private static long version(Path snapshot) {
    return Long.parseLong(snapshot.getFileName().toString().replaceAll("\\D", ""));
  }

  private static boolean modifiedAfter(Path p, long millis) {
    try {
      return Files.getLastModifiedTime(p).toMillis() > millis;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Map<String, int[]> encodeAll(Path snapshot) {
    float[][] matrix = itemIds.stream().map(vectors::get).toArray(float[][]::new);
    Map<String, int[]> codes = new HashMap<>();
    try (QuasidModel model = QuasidModel.restore(readAll(snapshot))) {
      int[][] encoded = model.encode(matrix).codes();
      for (int i = 0; i < encoded.length; i++) {
        codes.put(itemIds.get(i), encoded[i]);
      }
    }
    return codes;
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** (N - distinct full code tuples) / N. */
  private static double collisionRate(Map<String, int[]> codes) {
    Set<String> distinct = new HashSet<>();
    codes.values().forEach(c -> distinct.add(Arrays.toString(c)));
    return (double) (codes.size() - distinct.size()) / codes.size();
  }
}
