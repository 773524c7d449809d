package io.quasid.job.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.quasid.job.QuasidStreamJob;
import io.quasid.job.config.AssignmentOptions;
import io.quasid.job.config.InputOptions;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.QuasidJobCommandLine;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.embedded.EmbeddedKafka;
import io.quasid.job.sample.BeautyCatalog;
import io.quasid.job.sample.UserSequence;
import io.quasid.schemas.Op;
import io.quasid.schemas.SidAssignment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Fault suite (issue 9): the Kafka job with training on, on a real multi-process Flink cluster (a
 * JobManager and two TaskManagers with two slots each, child JVMs, RocksDB, file:// checkpoints)
 * against the embedded KRaft broker. Each scenario feeds a slice of the Beauty catalogue and its
 * interactions in batches, injects a fault mid-stream, and then checks every committed record of
 * the SID and dead-letter topics against the input ledger ({@link FaultOutcome}). The results table
 * goes to {@code benchmarks/results/faults.md} with {@code -Pfaults}, else to {@code
 * target/faults.md} (system property {@code faults.report}).
 *
 * <p>The broker also has a SASL/SCRAM-SHA-256 listener ({@link EmbeddedKafka#startWithScram}); the
 * SASL scenario runs the job and the test's own clients through it with {@code --kafka.*}
 * credentials, the others use the PLAINTEXT listener.
 *
 * <p>Run: {@code mvn -B -pl flink-job verify -Pfaults}. Not part of the default build.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteITCase {

  private static final int ITEMS = 1200;
  private static final int BATCHES = 24;
  private static final Duration BATCH_PAUSE = Duration.ofMillis(500);
  private static final int USERS = 2000;
  private static final int TASK_MANAGERS = 2;
  private static final int SLOTS = 2;

  /** Partitions of each scenario's input and SID topics. */
  private static final int PARTITIONS = 2;

  private static final Duration COMPLETE_WAIT = Duration.ofMinutes(5);
  private static final Duration QUIET = Duration.ofSeconds(6);
  private static final Duration QUIET_WAIT = Duration.ofMinutes(2);
  private static final Duration SETTLE_QUIET = Duration.ofSeconds(6);
  private static final Duration UNKNOWN_ITEM_GRACE = Duration.ofSeconds(20);

  /**
   * The broker scenario's grace: longer than the outage plus the item path's catch-up after it
   * (longest stall measured 23-24 s), as a deployment that must ride through such an outage sets
   * it. With 20 s a slow catch-up dead-lettered valid interactions, which is the grace working as
   * documented, not a fault; one run at load ~23 did (43 records).
   */
  private static final Duration BROKER_SCENARIO_GRACE = Duration.ofSeconds(60);

  /** Lag allowed between the job's two sources when judging interactions (see {@link Traffic}). */
  private static final Duration SOURCE_LAG_MARGIN = Duration.ofSeconds(30);

  /**
   * The outage scenario's transaction timeout: short, so the outage that outlasts it stays short;
   * the broker aborts a timed-out transaction at its next check (every 10 s by default).
   */
  private static final Duration OUTAGE_TRANSACTION_TIMEOUT = Duration.ofSeconds(20);

  /** One-second restart attempts of the outage scenario: 5 minutes without a TaskManager. */
  private static final int OUTAGE_RESTART_ATTEMPTS = 300;

  private static final String SCRAM_USER = "quasid-job";

  /** Random per run, so finding it in a log or REST answer can only mean the job leaked it. */
  private static final String SCRAM_PASSWORD = "pw-" + UUID.randomUUID();

  private static final AtomicInteger RUN = new AtomicInteger();
  private static final List<FaultOutcome> OUTCOMES = new CopyOnWriteArrayList<>();
  private static final Map<String, String> DETAILS = new java.util.LinkedHashMap<>();

  /** Scenarios that ended before their verdict, with why: a row of their own in the report. */
  private static final Map<String, String> ERRORS = new java.util.LinkedHashMap<>();

  private static EmbeddedKafka kafka;
  private static FlinkProcessCluster cluster;
  private static Path root;
  private static int dim;
  private static List<String> itemIds;
  private static Map<String, float[]> vectors;
  private static Map<String, String> groups;
  private static List<UserSequence> sequences;
  private static long clusterStartMs;

  @BeforeAll
  static void startBrokerAndCluster() throws Exception {
    // Not a @TempDir: the cluster's logs stay for a look after a failure (target/ is cleaned).
    root =
        Path.of(
            System.getProperty("basedir", "."),
            "target",
            "faults",
            String.valueOf(System.currentTimeMillis()));
    Path dir = root;
    kafka = EmbeddedKafka.startWithScram(SCRAM_USER, SCRAM_PASSWORD);
    long t0 = System.currentTimeMillis();
    cluster = FlinkProcessCluster.start(dir.resolve("flink"), TASK_MANAGERS, SLOTS);
    clusterStartMs = System.currentTimeMillis() - t0;
    BeautyCatalog catalog = BeautyCatalog.load();
    dim = catalog.dimension();
    itemIds = catalog.itemIds().subList(0, ITEMS);
    vectors = new HashMap<>();
    groups = new HashMap<>();
    itemIds.forEach(
        id -> {
          vectors.put(id, catalog.features(id));
          groups.put(id, catalog.productGroup(id));
        });
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
  static void stopAndReport() throws IOException {
    try {
      writeReport();
    } finally {
      if (cluster != null) {
        cluster.close();
      }
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  @Test
  @Order(1)
  void taskManagerKilledMidStreamAndReplaced() throws Exception {
    // Bad records on both sides of the kill: their dead letters must survive it exactly once too.
    FuzzCorpus corpus = new FuzzCorpus(5, dim, itemIds.subList(0, (ITEMS + BATCHES - 1) / BATCHES));
    try (Scenario s =
        new Scenario("kill -9 one TaskManager, start a replacement (bad records mixed in)", 2)) {
      s.submit(null);
      s.startFeeding(
          t -> {
            if (corpus.mutated() == 0) {
              corpus.emitBase(t, 100);
            }
            corpus.emitMutations(t, 40);
          });
      s.awaitFedAndCommitted(0.4);
      Kill kill = killOneTaskManager(s);
      FaultOutcome outcome = s.finish(kill + "; " + corpus.mutated() + " mutated records mixed in");
      assertPassed(outcome);
      // What the scenario claims, so that it cannot pass without the fault having happened.
      assertThat(kill.hosting()).as("the job ran on the victim").contains(kill.victim());
      assertThat(cluster.taskManagersOf(s.job))
          .as("and runs without it")
          .doesNotContain(kill.victim());
      assertThat(outcome.restarts()).as("the job restarted after the kill").isPositive();
      assertThat(s.feeder.isAlive()).as("the feeder finished").isFalse();
      assertThat(outcome.badExpected()).as("bad records were fed").isPositive();
      assertThat(outcome.migrationSummaries()).as("a model version went live").isPositive();
    } finally {
      cluster.ensureTaskManagers(TASK_MANAGERS);
    }
  }

  /** A TaskManager that ran the job, killed with -9, and the replacement started for it. */
  private record Kill(String victim, List<String> hosting, String replacement) {
    @Override
    public String toString() {
      return "killed " + victim + " (job on " + hosting + "), replacement " + replacement;
    }
  }

  /** Kills the first TaskManager running {@code s}'s job, starts a replacement, waits it out. */
  private static Kill killOneTaskManager(Scenario s) throws Exception {
    List<String> hosting = cluster.taskManagersOf(s.job);
    String victim = hosting.get(0);
    long faultAt = System.currentTimeMillis();
    cluster.killTaskManager(victim);
    String replacement = cluster.startTaskManager();
    s.watchRecovery(faultAt);
    return new Kill(victim, hosting, replacement);
  }

  @Test
  @Order(2)
  void stopWithSavepointAndRestoreAtParallelismThree() throws Exception {
    try (Scenario s = new Scenario("stop with savepoint, restore at parallelism 2 -> 3", 2)) {
      s.submit(null);
      s.startFeeding(t -> {});
      s.awaitFedAndCommitted(0.4);
      long faultAt = System.currentTimeMillis();
      String savepoint = cluster.stopWithSavepoint(s.job);
      long stoppedMs = System.currentTimeMillis() - faultAt;
      s.options = s.options.with(RuntimeOptions.PARALLELISM, 3);
      s.submit(savepoint);
      s.watchRecovery(faultAt);
      FaultOutcome outcome =
          s.finish("savepoint taken in " + stoppedMs + " ms; restored with parallelism 3");
      assertPassed(outcome);
    }
  }

  @Test
  @Order(3)
  void brokerRestartedMidStream() throws Exception {
    try (Scenario s =
        new Scenario(
            "stop and restart the Kafka broker (10 s down)",
            2,
            "--interactions.unknown-item-grace=" + BROKER_SCENARIO_GRACE.toSeconds() + "s")) {
      s.submit(null);
      s.startFeeding(t -> {});
      s.awaitFedAndCommitted(0.4);
      long faultAt = System.currentTimeMillis();
      kafka.restart(Duration.ofSeconds(10));
      long upAt = System.currentTimeMillis();
      s.watchRecovery(upAt);
      s.recoveryFrom = upAt;
      FaultOutcome outcome =
          s.finish("broker down " + (upAt - faultAt) + " ms (stop, 10 s pause, start)");
      assertPassed(outcome);
    }
  }

  @Test
  @Order(4)
  void fuzzCorpusMixedIntoValidTraffic() throws Exception {
    // Interactions aim at items of the first batch only: live before any fuzz, never deleted.
    FuzzCorpus corpus = new FuzzCorpus(9, dim, itemIds.subList(0, (ITEMS + BATCHES - 1) / BATCHES));
    int perBatch = 10_500 / BATCHES + 1;
    try (Scenario s = new Scenario("fuzz: >= 10,000 mutated records in valid traffic", 2)) {
      s.submit(null);
      s.startFeeding(
          t -> {
            if (corpus.mutated() == 0) {
              corpus.emitBase(t, 400);
            }
            corpus.emitMutations(t, perBatch);
          });
      s.watchRecovery(System.currentTimeMillis()); // no fault: waits for the job to run
      s.noFault();
      s.feeder.join(COMPLETE_WAIT.toMillis()); // the note counts the whole corpus
      FaultOutcome outcome = s.finish(corpus.mutated() + " mutated records: " + corpus.counts());
      assertThat(corpus.mutated()).isGreaterThanOrEqualTo(10_000);
      assertPassed(outcome);
    }
  }

  /**
   * The SID sink without transactions ({@code sink.sid-delivery=at-least-once}): a kill makes the
   * job replay, so records repeat, and a replayed revision may carry another suffix. What a
   * consumer that keeps the newest revision (the later record on a tie) holds must still be
   * complete and free of shared SIDs.
   */
  @Test
  @Order(6)
  void atLeastOnceDeliveryKillLeavesAConsumerWithoutCollisions() throws Exception {
    try (Scenario s =
        new Scenario(
            "kill -9 one TaskManager under sink.sid-delivery=at-least-once (consumer view)",
            2,
            "--sink.sid-delivery=at-least-once")) {
      s.submit(null);
      s.startFeeding(t -> {});
      s.awaitFedAndCommitted(0.4);
      FaultOutcome outcome =
          s.finish(
              killOneTaskManager(s)
                  + "; lost and collisions judged on the table of a consumer keeping the newest"
                  + " revision (SidIndex), duplicates expected");
      assertPassed(outcome);
      assertThat(outcome.restarts()).as("the job restarted after the kill").isPositive();
    } finally {
      cluster.ensureTaskManagers(TASK_MANAGERS);
    }
  }

  /**
   * Issue 27 §3: every TaskManager dies right after a checkpoint completed, before its transactions
   * were committed ({@link CommitHold} holds the commit so the kill lands there), and stays down
   * longer than the job's (shortened) transaction timeout, so the broker aborts the transactions
   * the restored job must commit. The broker's own transaction states are the evidence; the oracle
   * measures what was lost, and the scenario then applies the runbook's repair (stop with a
   * savepoint, resubmit with a new {@code republish.token}) and judges the result.
   */
  @Test
  @Order(7)
  void outageLongerThanTheTransactionTimeout() throws Exception {
    Path hold = root.resolve("hold-commits-" + UUID.randomUUID());
    AtomicInteger batch = new AtomicInteger();
    int perBatch = (ITEMS + BATCHES - 1) / BATCHES;
    try (Scenario s =
        new Scenario(
            "kill -9 every TaskManager between a checkpoint and its commit, down longer than the"
                + " transaction timeout ("
                + OUTAGE_TRANSACTION_TIMEOUT.toSeconds()
                + " s), repaired with a republish token",
            2,
            "--kafka.transaction.timeout.ms=" + OUTAGE_TRANSACTION_TIMEOUT.toMillis(),
            // Every TaskManager is down for longer than the transaction timeout and replacements
            // start on a busy box: the suite's 30 one-second attempts ran out in a fresh-clone
            // verify beside two benchmarks (job FAILED, NoResourceAvailableException).
            "--restart.attempts=" + OUTAGE_RESTART_ATTEMPTS,
            "--checkpoint.timeout=" + OUTAGE_TRANSACTION_TIMEOUT.dividedBy(2).toSeconds() + "s",
            // The job's rule: a decoder's registry wait stays below the checkpoint timeout.
            "--registry.max-wait=" + OUTAGE_TRANSACTION_TIMEOUT.dividedBy(4).toSeconds() + "s")) {
      s.sinks = new CommitHold(hold);
      s.submit(null);
      // Deletes of items fed two batches earlier: their tombstones are at stake, and so are the
      // dead letters of the interactions that name a deleted item after it (the ledger expects
      // them, or either outcome close to the delete).
      s.startFeeding(
          t -> {
            int b = batch.getAndIncrement() - 2;
            if (b < 0) {
              return;
            }
            itemIds.subList(b * perBatch, Math.min(ITEMS, (b + 1) * perBatch)).stream()
                .limit(3)
                .forEach(
                    id ->
                        t.item(
                            id,
                            FuzzCorpus.item(
                                id, vectors.get(id), Op.DELETE, Instant.now(), groups.get(id))));
          });
      s.awaitFedAndCommitted(0.4);
      String prefix = s.options.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX);
      List<String> hosting = cluster.taskManagersOf(s.job);
      Files.createFile(hold);
      List<String> held = awaitHeldCommits(prefix + "-sid-", Duration.ofSeconds(60));
      List<String> victims = cluster.taskManagerNames();
      long faultAt = System.currentTimeMillis();
      for (String tm : victims) {
        cluster.killTaskManager(tm);
      }
      Files.delete(hold);
      Map<String, TransactionDescription> atKill = transactions(s, prefix);
      List<String> openAtKill =
          held.stream()
              .filter(id -> atKill.containsKey(id))
              .filter(id -> atKill.get(id).state() == TransactionState.ONGOING)
              .toList();
      // The outage: until the broker aborted every held transaction and the timeout has passed.
      long deadline = faultAt + OUTAGE_TRANSACTION_TIMEOUT.toMillis() + 60_000;
      Map<String, TransactionDescription> afterWait;
      while (true) {
        afterWait = transactions(s, prefix);
        Map<String, TransactionDescription> now = afterWait;
        boolean aborted =
            openAtKill.stream()
                .allMatch(id -> now.get(id).state() == TransactionState.COMPLETE_ABORT);
        if (aborted
            && System.currentTimeMillis() - faultAt > OUTAGE_TRANSACTION_TIMEOUT.toMillis()) {
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          throw s.failure(
              s.name + ": held transactions not aborted by the broker within the outage: " + now);
        }
        Thread.sleep(250);
      }
      long downMs = System.currentTimeMillis() - faultAt;
      Map<String, TransactionDescription> abortedAfter = afterWait;
      List<String> sidOpen =
          openAtKill.stream().filter(id -> id.startsWith(prefix + "-sid-")).toList();
      String transactionNote =
          String.format(
              "killed all of %s (job on %s) while the commit of %s after a completed checkpoint"
                  + " was held; broker at the kill: %s; all TaskManagers down %d ms; by then %s",
              victims,
              hosting,
              held,
              describe(atKill, held),
              downMs,
              describe(abortedAfter, openAtKill));
      cluster.ensureTaskManagers(TASK_MANAGERS);
      s.watchRecovery(faultAt);
      long restartsBeforeRepair = cluster.restarts(s.job);
      s.feeder.join(COMPLETE_WAIT.toMillis());
      s.awaitSettled();
      List<String> fenced = commitFailures(openAtKill);
      Map<String, NavigableMap<Long, String>> aborted = abortedAssignments(s);
      s.aborted = aborted;
      FaultOutcome before =
          FaultOutcome.evaluate(
              s.name + " (before the repair)",
              s.sids.snapshot(),
              s.dead.snapshot(),
              s.migrations.snapshot(),
              s.traffic,
              "RUNNING",
              -1,
              0,
              restartsBeforeRepair,
              System.currentTimeMillis() - s.startedAt,
              false,
              -1,
              aborted,
              "");
      JobID outageJob = s.job;
      long repairAt = System.currentTimeMillis();
      String savepoint = cluster.stopWithSavepoint(s.job);
      String token = "outage-" + s.run;
      s.options = s.options.with(AssignmentOptions.REPUBLISH_TOKEN, token);
      s.submit(savepoint);
      long resubmittedAt = System.currentTimeMillis();
      s.resentFrom = repairAt;
      // The republish is sent after the job's first checkpoint and committed at its second.
      long repairDeadline = System.nanoTime() + COMPLETE_WAIT.toNanos();
      while (!cluster.allTasksRunning(s.job) || s.sids.firstSeenAtOrAfter(resubmittedAt) < 0) {
        if (System.nanoTime() > repairDeadline) {
          throw s.failure(
              s.name + ": nothing committed within " + COMPLETE_WAIT + " of the repair");
        }
        Thread.sleep(200);
      }
      FaultOutcome outcome =
          s.finish(
              transactionNote
                  + "; the restored job's commits of them: "
                  + (fenced.isEmpty() ? "no error logged" : fenced)
                  + "; before the repair ("
                  + restartsBeforeRepair
                  + " restarts): "
                  + before.lost()
                  + " lost, "
                  + before.chainBreaks()
                  + " chain breaks, "
                  + before.badMissing()
                  + " dead letters missing, "
                  + before.migrationSummaries()
                  + " migration summaries, "
                  + aborted.values().stream().mapToInt(Map::size).sum()
                  + " assignments only in aborted transactions"
                  + (before.lost() > 0 ? " (" + lostSample(before) + ")" : "")
                  + "; repair: stop with savepoint, resubmit with --republish.token="
                  + token
                  + ", "
                  + (System.currentTimeMillis() - repairAt)
                  + " ms");
      assertPassed(outcome);
      // What the scenario claims, so that it cannot pass without the outage having happened.
      assertThat(victims).as("every TaskManager was killed").containsAll(hosting).isNotEmpty();
      assertThat(held)
          .as("the kill found SID commits held after a completed checkpoint")
          .isNotEmpty();
      assertThat(sidOpen)
          .as("a held SID transaction was still open on the broker at the kill: %s", atKill)
          .isNotEmpty();
      assertThat(fenced)
          .as("the restored job could not commit a held transaction (the broker had aborted it)")
          .isNotEmpty();
      assertThat(downMs)
          .as("the outage outlasted the transaction timeout")
          .isGreaterThan(OUTAGE_TRANSACTION_TIMEOUT.toMillis());
      assertThat(restartsBeforeRepair).as("the job restarted after the kill").isPositive();
      assertThat(cluster.taskManagersOf(s.job))
          .as("on replacements")
          .doesNotContainAnyElementsOf(victims);
      assertThat(outageJob).as("the repair resubmitted the job").isNotEqualTo(s.job);
      assertThat(s.feeder.isAlive()).as("the feeder finished").isFalse();
      assertThat(s.traffic.deletedItems()).as("items were deleted").isNotEmpty();
      assertThat(outcome.migrationSummaries()).as("a model version went live").isPositive();
    } finally {
      Files.deleteIfExists(hold);
      cluster.ensureTaskManagers(TASK_MANAGERS);
    }
  }

  /**
   * Every assignment on the scenario's SID topic, committed or not (read_uncommitted returns those
   * of aborted transactions too, the control records excepted), for {@link
   * FaultOutcome#abortedAssignments}.
   */
  private static Map<String, NavigableMap<Long, String>> abortedAssignments(Scenario s)
      throws Exception {
    Map<String, Object> config = new HashMap<>(s.client());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    List<Map.Entry<String, SidAssignment>> everything = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(s.sids.topic(), p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            everything.add(
                Map.entry(
                    new String(r.key(), StandardCharsets.UTF_8),
                    FaultOutcome.assignment(r.value())));
          }
        }
      }
    }
    return FaultOutcome.abortedAssignments(everything, s.sids.snapshot());
  }

  /** Waits until a committer has logged a held commit of a transactional id starting so. */
  private static List<String> awaitHeldCommits(String idPrefix, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> held =
          CommitHold.heldTransactions(taskManagerLogs()).stream()
              .filter(id -> id.startsWith(idPrefix.substring(0, idPrefix.indexOf("-sid-"))))
              .toList();
      if (held.stream().anyMatch(id -> id.startsWith(idPrefix))) {
        // The other committers (second subtask, dead letters) hold on their next call, if any.
        Thread.sleep(300);
        return CommitHold.heldTransactions(taskManagerLogs()).stream()
            .filter(id -> id.startsWith(idPrefix.substring(0, idPrefix.indexOf("-sid-"))))
            .toList();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no held commit of " + idPrefix + "* within " + timeout);
      }
      Thread.sleep(50);
    }
  }

  private static String taskManagerLogs() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(cluster.directory())) {
      for (Path f :
          files
              .filter(p -> p.getFileName().toString().matches("tm-\\d+\\.log"))
              .sorted()
              .toList()) {
        all.append(Files.readString(f, StandardCharsets.ISO_8859_1));
      }
    }
    return all.toString();
  }

  /** The log lines in which a committer could not commit one of {@code ids}, shortened. */
  private static List<String> commitFailures(List<String> ids) throws IOException {
    return taskManagerLogs()
        .lines()
        .filter(l -> l.contains("Unable to commit transaction"))
        .filter(l -> ids.stream().anyMatch(l::contains))
        .map(
            l ->
                l.substring(
                    l.indexOf("Unable to commit"),
                    Math.min(l.length(), l.indexOf("Unable to commit") + 110)))
        .toList();
  }

  /** Every transaction of the scenario's sinks, as the broker's coordinator describes it. */
  private static Map<String, TransactionDescription> transactions(Scenario s, String prefix)
      throws Exception {
    try (Admin admin = Admin.create(s.client())) {
      List<String> ids =
          admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
              .map(TransactionListing::transactionalId)
              .filter(id -> id.startsWith(prefix + "-"))
              .toList();
      return new java.util.TreeMap<>(
          admin.describeTransactions(ids).all().get(30, TimeUnit.SECONDS));
    }
  }

  private static String describe(Map<String, TransactionDescription> txns, List<String> ids) {
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      TransactionDescription d = txns.get(id);
      out.add(
          id
              + " "
              + (d == null
                  ? "unknown"
                  : d.state() + (d.topicPartitions().isEmpty() ? "" : " " + d.topicPartitions())));
    }
    return String.join(", ", out);
  }

  private static String lostSample(FaultOutcome o) {
    String note = o.note();
    int at = note.indexOf("lost e.g. ");
    return at < 0 ? "" : note.substring(at, Math.min(note.length(), at + 300));
  }

  @Test
  @Order(5)
  void saslScramBrokerRefusesClientsWithoutCredentials() throws Exception {
    FuzzCorpus corpus =
        new FuzzCorpus(11, dim, itemIds.subList(0, (ITEMS + BATCHES - 1) / BATCHES));
    List<String> sasl = new ArrayList<>();
    sasl.add("--bootstrap.servers=" + kafka.saslBootstrapServers());
    // The JAAS line (with the password) in a file the task managers read, as a Kubernetes Secret
    // mounted into the pods would be: the job graph holds only the reference.
    Path secretsFile = root.resolve("kafka-secrets.properties");
    Properties secretFile = new Properties();
    Map<String, String> scram = EmbeddedKafka.scramClientProperties(SCRAM_USER, SCRAM_PASSWORD);
    scram.forEach(
        (k, v) -> {
          if (k.equals(SaslConfigs.SASL_JAAS_CONFIG)) {
            secretFile.setProperty(k, v);
            sasl.add("--kafka." + k + "=${file:" + secretsFile + ":" + k + "}");
          } else {
            sasl.add("--" + QuasidJobOptions.KAFKA_PREFIX + k + "=" + v);
          }
        });
    try (var out = Files.newBufferedWriter(secretsFile)) {
      secretFile.store(out, null);
    }
    // COMMITTED on a fresh group reads from the start like EARLIEST, and also runs
    // CommittedStartGuard's admin client: every Kafka client the job makes goes through SASL.
    sasl.add("--source.start=COMMITTED");
    try (Scenario s =
        new Scenario(
            "Kafka with SASL/SCRAM on loopback, client without credentials refused",
            2,
            sasl.toArray(String[]::new))) {
      s.submit(null);
      s.startFeeding(
          t -> {
            if (corpus.mutated() == 0) {
              corpus.emitBase(t, 100);
            }
            corpus.emitMutations(t, 25);
          });
      s.watchRecovery(System.currentTimeMillis()); // no fault: waits for the job to run
      s.noFault();
      s.feeder.join(COMPLETE_WAIT.toMillis());
      Map<String, Object> wrongPassword =
          new HashMap<>(EmbeddedKafka.scramClientProperties(SCRAM_USER, "not-" + SCRAM_PASSWORD));
      wrongPassword.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.saslBootstrapServers());
      String refusals =
          s.refused(
                  "no credentials (PLAINTEXT to the SASL port)",
                  Map.of(
                      CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.saslBootstrapServers()))
              + "; "
              + s.refused("wrong password", wrongPassword);
      String secrets = s.secretsUnexposed(SCRAM_PASSWORD);
      FaultOutcome outcome =
          s.finish(
              "job, feeder and readers on the SASL_PLAINTEXT listener as SCRAM user "
                  + SCRAM_USER
                  + " (sources with group offsets, both transactional sinks, CommittedStartGuard's"
                  + " admin), the JAAS line read from a file through Kafka's FileConfigProvider"
                  + " (only the reference is in the job graph); "
                  + refusals
                  + "; "
                  + secrets
                  + "; "
                  + corpus.mutated()
                  + " mutated records mixed in: "
                  + corpus.counts());
      assertPassed(outcome);
    }
  }

  private static void assertPassed(FaultOutcome outcome) {
    assertThat(outcome.passed()).as(outcome.scenario() + ": " + outcome.failures()).isTrue();
  }

  /** One job on fresh topics, its input feeder, its committed logs and its timings. */
  private static final class Scenario implements AutoCloseable {
    final String name;
    final int run = RUN.incrementAndGet();
    final long startedAt = System.currentTimeMillis();
    QuasidJobOptions options;
    JobID job;
    final Traffic traffic;
    final CommittedLog sids;
    final CommittedLog dead;
    final CommittedLog migrations;
    Thread feeder;
    volatile double fed;
    volatile Throwable feederFailure;
    long recoveryFrom = -1;
    long wentDownAt = -1;
    long backUpAt = -1;
    long firstSendAt = -1;
    QuasidStreamJob.SinkDecorator sinks = QuasidStreamJob.SinkDecorator.NONE;
    long resentFrom = -1;
    Map<String, NavigableMap<Long, String>> aborted = Map.of();
    boolean finished;
    String error;

    /**
     * @param extraArgs job arguments after the suite's own; one the suite sets replaces its value
     */
    Scenario(String name, int parallelism, String... extraArgs) throws Exception {
      this.name = name;
      String prefix = "faults-" + run;
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--bootstrap.servers=" + kafka.bootstrapServers(),
                  "--topic.items=items-" + run,
                  "--topic.interactions=interactions-" + run,
                  "--topic.sid-assignments=sids-" + run,
                  "--topic.dead-letters=dead-" + run,
                  "--topic.sid-migrations=migrations-" + run,
                  "--group.id=" + prefix,
                  "--sink.transactional-id-prefix=" + prefix,
                  "--source.start=EARLIEST",
                  "--parallelism=" + parallelism,
                  "--checkpoint.interval=1s",
                  "--checkpoint.dir=" + root.resolve("checkpoints-" + run).toUri(),
                  "--restart.attempts=30",
                  "--restart.delay=1s",
                  "--vector.dim=" + dim,
                  "--interactions.unknown-item-grace=" + UNKNOWN_ITEM_GRACE.toSeconds() + "s",
                  "--model.levels=3",
                  "--model.codebook-size=16",
                  "--model.latent-dim=16",
                  "--model.encoder-hidden=128,64",
                  "--training.enabled=true",
                  "--training.init-min-rows=256",
                  "--training.max-pairs-per-event=2",
                  "--training.max-steps-per-second=10",
                  "--training.publish-every-steps=25"));
      for (String extra : extraArgs) {
        // A scenario's own value of an option replaces the suite's.
        int eq = extra.indexOf('=');
        if (eq > 0) {
          args.removeIf(a -> a.startsWith(extra.substring(0, eq + 1)));
        }
        args.add(extra);
      }
      this.options = parse(args.toArray(String[]::new));
      kafka.createJobTopics(options, PARTITIONS);
      this.sids = new CommittedLog(client(), "sids-" + run);
      this.dead = new CommittedLog(client(), "dead-" + run);
      this.migrations = new CommittedLog(client(), "migrations-" + run);
      this.traffic =
          new Traffic(
              client(),
              "items-" + run,
              "interactions-" + run,
              new InputOracle(
                  dim,
                  options.get(InputOptions.MAX_RECORD_BYTES),
                  options.get(InputOptions.MAX_FUTURE_SKEW).toMillis()),
              options.get(InputOptions.UNKNOWN_ITEM_GRACE).plus(SOURCE_LAG_MARGIN).toMillis());
    }

    /**
     * The settings the test's own clients share with the job: its bootstrap servers and its {@code
     * kafka.*} properties (credentials included).
     */
    Map<String, Object> client() {
      Map<String, Object> client = new HashMap<>();
      options.kafkaClientProperties().forEach((k, v) -> client.put((String) k, v));
      client.put(
          CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
          options.get(KafkaOptions.BOOTSTRAP_SERVERS));
      return client;
    }

    /**
     * Tries to produce to the item topic and to read the SID topic with {@code config}; fails the
     * scenario unless the send fails, the item topic gains no record and nothing is read in 5 s.
     * Returns what each attempt ended with, for the note.
     */
    String refused(String who, Map<String, Object> config) throws Exception {
      String items = options.get(KafkaOptions.ITEMS_TOPIC);
      long before = endOffsetSum(items);
      Map<String, Object> producerConfig = new HashMap<>(config);
      producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
      producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
      producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
      Throwable produce;
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
        produce =
            catchThrowable(
                () ->
                    producer
                        .send(
                            new ProducerRecord<>(
                                items, "refused".getBytes(StandardCharsets.UTF_8), new byte[8]))
                        .get(30, TimeUnit.SECONDS));
      }
      produce = produce instanceof ExecutionException ? produce.getCause() : produce;
      int read = 0;
      Throwable readFailure = null;
      Map<String, Object> consumerConfig = new HashMap<>(config);
      consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(
              consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
          partitions.add(new TopicPartition(sids.topic(), p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
          read += consumer.poll(Duration.ofMillis(200)).count();
        }
      } catch (KafkaException e) {
        readFailure = e;
      }
      long after = endOffsetSum(items);
      if (produce == null || after != before || read > 0) {
        throw failure(
            String.format(
                "%s: a client with %s was let in: send %s, item topic end %d -> %d, %d SID"
                    + " records read",
                name, who, produce == null ? "acknowledged" : produce, before, after, read));
      }
      return String.format(
          "%s: send refused (%s), read %s",
          who,
          produce.getClass().getSimpleName(),
          readFailure == null
              ? "0 of " + sids.size() + " committed SID records in 5 s"
              : "refused (" + readFailure.getClass().getSimpleName() + ")");
    }

    private long endOffsetSum(String topic) throws Exception {
      try (Admin admin = Admin.create(client())) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
          latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
            .mapToLong(ListOffsetsResultInfo::offset)
            .sum();
      }
    }

    /**
     * Fails the scenario if {@code secret} appears in a log of the cluster's processes, in the
     * job's REST views (details, configuration, plan) or in the job options' printed form; returns
     * what was searched, for the note.
     */
    String secretsUnexposed(String secret) throws Exception {
      List<String> searched = new ArrayList<>();
      List<String> found = new ArrayList<>();
      try (Stream<Path> files = Files.list(cluster.directory())) {
        for (Path f :
            files
                .filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".out"))
                .sorted()
                .toList()) {
          searched.add(f.getFileName().toString());
          // Latin-1 reads any byte; the secret is ASCII.
          if (Files.readString(f, StandardCharsets.ISO_8859_1).contains(secret)) {
            found.add(f.getFileName().toString());
          }
        }
      }
      for (String view : List.of("", "/config", "/plan")) {
        if (cluster.rest("/jobs/" + job + view).contains(secret)) {
          found.add("REST /jobs/<id>" + view);
        }
      }
      if (options.toString().contains(secret)) {
        found.add("QuasidJobOptions.toString()");
      }
      if (!found.isEmpty()) {
        throw failure(name + ": the SCRAM password appears in " + found);
      }
      return "the password is in none of the cluster's "
          + searched.size()
          + " log files "
          + searched
          + ", the job's REST details, config and plan, or the printed options";
    }

    void submit(String savepoint) throws Exception {
      job = cluster.submit(options, "quasid-faults-" + run, savepoint, sinks);
    }

    /**
     * Feeds the catalogue slice in {@link #BATCHES} batches with a pause between them; after each
     * batch's items, the interactions of every user whose items have all been published, then
     * {@code extra} (fuzz).
     */
    void startFeeding(Consumer<Traffic> extra) {
      feeder =
          new Thread(
              () -> {
                try {
                  feed(extra);
                } catch (Throwable t) {
                  feederFailure = t;
                }
              },
              "fault-feeder-" + run);
      feeder.setDaemon(true);
      feeder.start();
    }

    private void feed(Consumer<Traffic> extra) throws InterruptedException {
      firstSendAt = System.currentTimeMillis();
      Set<String> published = new HashSet<>();
      List<UserSequence> waiting = new ArrayList<>(sequences);
      int perBatch = (ITEMS + BATCHES - 1) / BATCHES;
      Instant time = Instant.now();
      for (int b = 0; b < BATCHES; b++) {
        for (String id : itemIds.subList(b * perBatch, Math.min(ITEMS, (b + 1) * perBatch))) {
          traffic.item(id, FuzzCorpus.item(id, vectors.get(id), Op.UPSERT, time, groups.get(id)));
          published.add(id);
        }
        for (var it = waiting.iterator(); it.hasNext(); ) {
          UserSequence user = it.next();
          if (published.containsAll(user.itemIds())) {
            for (String item : user.itemIds()) {
              traffic.interaction(user.userId(), FuzzCorpus.interaction(user.userId(), item, 1f));
            }
            it.remove();
          }
        }
        extra.accept(traffic);
        traffic.flush();
        fed = (b + 1) / (double) BATCHES;
        if (b == 0) {
          // Pace the rest against a running job: a fault must find input still pending.
          long deadline = System.nanoTime() + COMPLETE_WAIT.toNanos();
          while (sids.size() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
        }
        Thread.sleep(BATCH_PAUSE.toMillis());
      }
    }

    void awaitFedAndCommitted(double fraction) throws Exception {
      long deadline = System.nanoTime() + COMPLETE_WAIT.toNanos();
      while (fed < fraction || sids.size() == 0) {
        checkAlive();
        if (System.nanoTime() > deadline) {
          throw failure(
              String.format(
                  "%s: not fed %s with a first commit within %s: fed %.2f (%d item, %d"
                      + " interaction records sent); %s; %s",
                  name,
                  fraction,
                  COMPLETE_WAIT,
                  fed,
                  traffic.itemRecords(),
                  traffic.interactionRecords(),
                  sids.endOffsets(),
                  dead.endOffsets()));
        }
        Thread.sleep(100);
      }
    }

    /** Polls until the job's tasks are all RUNNING again after the fault (or never stopped). */
    void watchRecovery(long faultAt) throws Exception {
      recoveryFrom = recoveryFrom < 0 ? faultAt : recoveryFrom;
      long deadline = System.nanoTime() + COMPLETE_WAIT.toNanos();
      boolean sawDown = false;
      long quietSince = System.currentTimeMillis();
      while (System.nanoTime() < deadline) {
        checkAlive();
        boolean up = cluster.allTasksRunning(job);
        if (!up) {
          if (!sawDown) {
            wentDownAt = System.currentTimeMillis();
          }
          sawDown = true;
        } else if (sawDown || System.currentTimeMillis() - quietSince > 15_000) {
          // Back up, or never went down within 15 s of the fault (a fault the job rode through).
          backUpAt = sawDown ? System.currentTimeMillis() : faultAt;
          return;
        }
        Thread.sleep(100);
      }
      throw failure(name + ": job not running again within " + COMPLETE_WAIT);
    }

    /**
     * Waits until the job has taken in all input and gone quiet: complete by the oracle, or no new
     * committed SID record for {@link #SETTLE_QUIET} with every task running (what a lost
     * transaction leaves: nothing more will come).
     */
    void awaitSettled() throws Exception {
      long deadline = System.nanoTime() + QUIET_WAIT.toNanos();
      long from = System.currentTimeMillis();
      while (System.nanoTime() < deadline) {
        checkAlive();
        List<CommittedLog.Entry> snapshot = sids.snapshot();
        long lastSeen =
            Math.max(
                from, snapshot.isEmpty() ? 0 : snapshot.get(snapshot.size() - 1).seenAtMillis());
        boolean quiet = System.currentTimeMillis() - lastSeen > SETTLE_QUIET.toMillis();
        if (quiet
            && cluster.allTasksRunning(job)
            && (FaultOutcome.complete(snapshot, dead.snapshot(), traffic)
                || System.currentTimeMillis() - lastSeen > 2 * SETTLE_QUIET.toMillis())) {
          return;
        }
        Thread.sleep(500);
      }
      throw failure(name + ": not settled within " + QUIET_WAIT);
    }

    private AssertionError failure(String message) {
      error = message;
      return new AssertionError(message);
    }

    private AssertionError failure(String message, Throwable cause) {
      error = message + ": " + cause;
      return new AssertionError(message, cause);
    }

    /** A scenario without a fault: no recovery time or task-state note. */
    void noFault() {
      recoveryFrom = -1;
      wentDownAt = -1;
      backUpAt = -1;
    }

    private void checkAlive() throws Exception {
      JobStatus status = cluster.status(job);
      if (status.isGloballyTerminalState()) {
        throw failure(name + ": job " + status + "; exceptions: " + cluster.exceptions(job));
      }
      if (feederFailure != null) {
        throw failure(name + ": feeder failed", feederFailure);
      }
    }

    FaultOutcome finish(String note) throws Exception {
      feeder.join(COMPLETE_WAIT.toMillis());
      if (feederFailure != null) {
        throw failure(name + ": feeder failed", feederFailure);
      }
      long deadline = System.nanoTime() + COMPLETE_WAIT.toNanos();
      String jobState = "RUNNING";
      while (!FaultOutcome.complete(sids.snapshot(), dead.snapshot(), traffic)) {
        JobStatus status = cluster.status(job);
        if (status.isGloballyTerminalState()) {
          jobState = status.name();
          break;
        }
        if (System.nanoTime() > deadline) {
          jobState = "RUNNING (incomplete after " + COMPLETE_WAIT.toMinutes() + " min)";
          break;
        }
        Thread.sleep(500);
      }
      long completeAt = System.currentTimeMillis();
      // Re-encoding passes may break SID uniqueness briefly: wait for a quiet, consistent log,
      // and judge that very log. A snapshot taken after the check once caught the first records
      // of a pass that began 6.3 s after the previous one (11 collisions, broker scenario).
      long quietDeadline = System.nanoTime() + QUIET_WAIT.toNanos();
      List<CommittedLog.Entry> verdictSids = sids.snapshot();
      while (System.nanoTime() < quietDeadline && "RUNNING".equals(jobState)) {
        verdictSids = sids.snapshot();
        long lastSeen =
            verdictSids.isEmpty() ? 0 : verdictSids.get(verdictSids.size() - 1).seenAtMillis();
        if (System.currentTimeMillis() - lastSeen > QUIET.toMillis()
            && FaultOutcome.sidCollisions(verdictSids, traffic.liveItems()) == 0) {
          break;
        }
        Thread.sleep(500);
      }
      if ("RUNNING".equals(jobState)) {
        JobStatus status = cluster.status(job);
        jobState =
            status == JobStatus.RUNNING && cluster.allTasksRunning(job) ? "RUNNING" : status.name();
      }
      // Recovery: from the fault to the first record committed after the job noticed it (its
      // tasks left RUNNING); a fault it rode through counts from the fault itself.
      long from = recoveryFrom;
      long after = wentDownAt >= 0 ? wentDownAt : from;
      long firstAfter =
          Math.min(
              positiveOr(sids.firstSeenAtOrAfter(after)),
              positiveOr(dead.firstSeenAtOrAfter(after)));
      long recovery = firstAfter == Long.MAX_VALUE || from < 0 ? -1 : firstAfter - from;
      if (from >= 0) {
        note +=
            String.format(
                "; tasks left RUNNING %s, all RUNNING again %s after the fault",
                wentDownAt < 0 ? "never" : "+" + (wentDownAt - from) + " ms",
                backUpAt < 0 ? "?" : "+" + (backUpAt - from) + " ms");
      }
      long stall =
          CommittedLog.longestGap(
              List.of(sids.snapshot(), dead.snapshot()), firstCommit(), completeAt);
      FaultOutcome outcome =
          FaultOutcome.evaluate(
              name,
              verdictSids,
              dead.snapshot(),
              migrations.snapshot(),
              traffic,
              jobState,
              recovery,
              stall,
              cluster.restarts(job),
              completeAt - startedAt,
              options.get(KafkaOptions.SID_DELIVERY) == DeliveryGuarantee.AT_LEAST_ONCE,
              resentFrom,
              aborted,
              note);
      OUTCOMES.add(outcome);
      if (!outcome.passed()) {
        DETAILS.put(
            name, "exceptions: " + cluster.exceptions(job) + "; logs in " + cluster.directory());
      }
      System.out.println("FaultSuiteITCase: " + outcome);
      finished = true;
      return outcome;
    }

    private long firstCommit() {
      long a = sids.firstSeenAtOrAfter(0);
      long b = dead.firstSeenAtOrAfter(0);
      return Math.min(positiveOr(a), positiveOr(b)) == Long.MAX_VALUE
          ? startedAt
          : Math.min(positiveOr(a), positiveOr(b));
    }

    private static long positiveOr(long t) {
      return t < 0 ? Long.MAX_VALUE : t;
    }

    @Override
    public void close() throws Exception {
      if (!finished) {
        ERRORS.put(name, error == null ? "ended before its verdict (see the test report)" : error);
      }
      if (feeder != null) {
        feeder.interrupt();
      }
      if (job != null) {
        try {
          cluster.cancel(job);
        } catch (Exception e) {
          System.out.println("FaultSuiteITCase: cancel of " + job + " failed: " + e);
        }
      }
      sids.close();
      dead.close();
      migrations.close();
      traffic.close();
    }
  }

  private static QuasidJobOptions parse(String... args) {
    StringWriter help = new StringWriter();
    return QuasidJobCommandLine.parse(args, new PrintWriter(help))
        .orElseThrow(() -> new IllegalStateException(help.toString()));
  }

  private static void writeReport() throws IOException {
    if (OUTCOMES.isEmpty() && ERRORS.isEmpty()) {
      return;
    }
    // The committed record only with -Pfaults; the default build writes under target/.
    Path out =
        Path.of(
                System.getProperty(
                    "faults.report",
                    Path.of(System.getProperty("basedir", "."), "target", "faults.md").toString()))
            .normalize();
    StringBuilder md = new StringBuilder();
    md.append("# Fault suite results\n\n");
    md.append("Generated by `FaultSuiteITCase` (`mvn -B -pl flink-job verify -Pfaults`) on ")
        .append(LocalDate.now())
        .append(".\n\n");
    md.append("Environment: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ")
        .append(System.getProperty("java.version"))
        .append(", ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append("; Flink 2.2 session cluster of 3 child JVMs (JobManager 1024m, ")
        .append(TASK_MANAGERS)
        .append(" TaskManagers (512m heap, 256m managed, 64m network) with ")
        .append(SLOTS)
        .append(" slots, RocksDB, file:// checkpoints every 1 s, started in ")
        .append(clusterStartMs)
        .append(
            " ms), embedded KRaft broker (child JVM; a PLAINTEXT listener and a SASL_PLAINTEXT one"
                + " admitting SCRAM-SHA-256 clients only), training on. Input per scenario: ")
        .append(ITEMS)
        .append(" Beauty items in ")
        .append(BATCHES)
        .append(" batches ")
        .append(BATCH_PAUSE.toMillis())
        .append(" ms apart with the interactions of up to ")
        .append(USERS)
        .append(" users.\n\n");
    md.append(
        "Counted over every committed record (read_committed, from the beginning, not the"
            + " compacted view). The input ledger applies the job's documented per-item"
            + " event-time order (a valid upsert or delete older than the item's newest applied"
            + " event is dropped, not dead-lettered). *Lost*: live items without a committed SID"
            + " (or deleted ones without a tombstone). *Dup*: committed assignments repeating an item's revision"
            + " or breaking its previous_sid chain. *Coll*: final SIDs shared by live items. *DLQ*:"
            + " rejected input records found exactly once / expected (missing, duplicated,"
            + " valid: dead letters of records the documented rules accept, data loss, target 0);"
            + " an interaction whose item changed liveness within the unknown-item"
            + " grace (20 s; 60 s in the broker scenario) + 30 s of its send may go either way and is in neither count (see the"
            + " notes). *Recovery*: fault (for the broker: broker back) to the first"
            + " committed record after every task ran again. *Stall*: longest time without a new"
            + " committed record while input was pending. *Migrations*: model versions"
            + " summarised on the migrations topic (repeated summaries in brackets, must be 0).\n\n");
    md.append(
        "| Scenario | Result | Live items | Lost | Dup | Version regressions | Coll | DLQ ok/expected"
            + " (miss, dup, valid) | Job | Restarts | Recovery | Longest stall | SID records |"
            + " Migrations | Duration |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (FaultOutcome o : OUTCOMES) {
      int ok = o.badExpected() - o.badMissing() - o.badDuplicated();
      md.append(
          String.format(
              "| %s | %s | %d | %d | %d | %d | %d | %d/%d (%d, %d, %d) | %s | %s | %s | %s | %d"
                  + " | %d (%d) | %.0f s |%n",
              o.scenario(),
              o.passed() ? "pass" : "**FAIL**",
              o.liveItems(),
              o.lost(),
              o.duplicates(),
              o.versionRegressions(),
              o.sidCollisions(),
              ok,
              o.badExpected(),
              o.badMissing(),
              o.badDuplicated(),
              o.deadLettersUnexpected(),
              o.jobState(),
              o.restarts() < 0 ? "?" : String.valueOf(o.restarts()),
              o.recoveryMs() < 0 ? "-" : String.format("%.1f s", o.recoveryMs() / 1000.0),
              String.format("%.1f s", o.longestStallMs() / 1000.0),
              o.sidRecords(),
              o.migrationSummaries(),
              o.migrationRepeats(),
              o.durationMs() / 1000.0));
    }
    for (String name : ERRORS.keySet()) {
      md.append("| ")
          .append(name)
          .append(
              " | **ERROR** (no verdict) | - | - | - | - | - | - | - | - | - | - | - | - | - |\n");
    }
    md.append("\nNotes:\n\n");
    for (FaultOutcome o : OUTCOMES) {
      md.append("* ").append(o.scenario()).append(": ").append(o.note());
      if (!o.passed()) {
        md.append(". **Failed**: ").append(o.failures());
        String detail = DETAILS.get(o.scenario());
        if (detail != null) {
          md.append(". ")
              .append(detail.length() > 1500 ? detail.substring(0, 1500) + "..." : detail);
        }
      }
      md.append(".\n");
    }
    ERRORS.forEach(
        (name, why) ->
            md.append("* ")
                .append(name)
                .append(": **no verdict**: ")
                .append(why.length() > 1500 ? why.substring(0, 1500) + "..." : why)
                .append(".\n"));
    Files.createDirectories(out.getParent());
    Files.writeString(out, md, StandardCharsets.UTF_8);
  }
}
