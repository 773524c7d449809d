package io.quasid.bench.streaming;

import io.quasid.bench.BenchmarkCommandLine;
import io.quasid.job.KafkaConnectors;
import io.quasid.job.QuasidStreamJob;
import io.quasid.job.config.InputOptions;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.ModelOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.config.StartOffsets;
import io.quasid.job.embedded.EmbeddedKafka;
import io.quasid.job.pipeline.InteractionDecoder;
import io.quasid.job.pipeline.ItemFeatureDecoder;
import io.quasid.job.training.FineTuneOptions;
import io.quasid.job.training.PairOptions;
import io.quasid.job.types.ModelUpdate;
import io.quasid.model.QuasidModel;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Issue 12's streaming benchmark: in one run, on the embedded KRaft broker and a local MiniCluster
 * (parallelism 2, 2 s exactly-once checkpoints, RocksDB), a pass-through job (Kafka source, {@link
 * ItemFeatureDecoder}, keyBy(item), exactly-once {@code KafkaSink}) and the QuaSID job with
 * training off and on, over a synthetic catalogue published before each job starts; then a
 * rate-limited latency run at a fraction of the measured training-off rate, and a re-encode run (a
 * new model version over the whole catalogue). Every rate is reported next to the pass-through
 * job's from the same run. Writes {@code streaming.md} and {@code streaming-throughput.png}.
 */
public final class StreamingBenchmark {

  static final String CATALOGUE = "item-";
  static final String NEW_ITEM = "new-";
  static final String LATENCY_ITEM = "lat-";
  static final String WARMUP_ITEM = "warm-";

  private final StreamingSettings settings;
  private final EmbeddedKafka kafka;
  private final Admin admin;
  private final Path workDir;
  private final int restPort;
  private final FlinkRest rest;
  private boolean warmedUp;

  private StreamingBenchmark(StreamingSettings settings, EmbeddedKafka kafka, Path workDir)
      throws IOException {
    this.settings = settings;
    this.kafka = kafka;
    this.workDir = workDir;
    this.admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    this.restPort = freePort();
    this.rest = new FlinkRest(restPort);
  }

  public static void main(String[] args) throws Exception {
    Optional<StreamingSettings> parsed =
        BenchmarkCommandLine.parseOrExit(new StreamingFlags(), args);
    if (parsed.isEmpty()) {
      return;
    }
    StreamingSettings settings = parsed.get();
    Path workDir = Files.createTempDirectory("quasid-streaming-bench-");
    StreamingReport report = new StreamingReport(settings);
    report.machine(Machine.describe());
    log("settings " + settings);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      StreamingBenchmark bench = new StreamingBenchmark(settings, kafka, workDir);
      bench.run(report);
    } finally {
      deleteRecursively(workDir);
    }
    report.machineAfter(Machine.load());
    report.write();
    log("wrote " + settings.out().resolve(settings.fileStem() + ".md"));
    System.exit(0);
  }

  private void run(StreamingReport report) throws Exception {
    runDimension(
        64,
        settings.items(),
        settings.runs("training-on"),
        settings.runs("training-on") || settings.runs("training-off-interactions"),
        report);
    if (settings.items768() > 0) {
      boolean training768 = settings.training768() && settings.runs("training-on");
      runDimension(768, settings.items768(), training768, training768, report);
    }
  }

  static final String PASS_THROUGH = "pass-through";
  static final String PASS_THROUGH_INTERACTIONS = "pass-through, with interactions";
  static final String TRAINING_ON = "QuaSID, training on";
  static final String TRAINING_ON_ALL = "QuaSID, training on, every engagement";
  static final String TRAINING_OFF = "QuaSID, training off";
  static final String TRAINING_OFF_INTERACTIONS = "QuaSID, training off, with interactions";

  /**
   * @param withTraining whether the training-on phases run (they need interactions)
   * @param withInteractions whether the interaction stream is published (for training, or for the
   *     interactions baselines alone)
   */
  private void runDimension(
      int dim, long items, boolean withTraining, boolean withInteractions, StreamingReport report)
      throws Exception {
    SyntheticCatalogue catalogue = new SyntheticCatalogue(dim, 7L * dim);
    String itemsTopic = "items-" + dim;
    String interactionsTopic = "interactions-" + dim;
    String noInteractions = "no-interactions-" + dim;
    long interactions = Math.round(items * settings.interactionsPerItem());
    createTopic(itemsTopic, StreamingSettings.PARALLELISM);
    createTopic(interactionsTopic, StreamingSettings.PARALLELISM);
    createTopic(noInteractions, StreamingSettings.PARALLELISM);

    log(dim + "-d: k-means initialisation of the tokenizer on " + kmeansRows(items) + " items");
    Path snapshot = workDir.resolve("initial-" + dim + ".snapshot");
    long initialVersion = initialModel(catalogue, items, snapshot, 42L);

    long t = System.nanoTime();
    publishCatalogue(catalogue, itemsTopic, items);
    double publishSeconds = (System.nanoTime() - t) / 1e9;
    log(String.format("%d-d: published %,d items in %.1f s", dim, items, publishSeconds));
    if (withInteractions) {
      publishInteractions(interactionsTopic, items, interactions);
    }
    report.catalogue(dim, items, publishSeconds, withInteractions ? interactions : 0);

    // The pass-through baseline, then the QuaSID job; the model-updates topic is idle until the
    // re-encode phase (64-d only) gives it one version.
    String modelTopic = "model-updates-" + dim;
    createModelTopic(modelTopic);
    if (!warmedUp && settings.warmUpSeconds() > 0) {
      report.warmUp(
          warmUp(
              dim,
              itemsTopic,
              withTraining ? interactionsTopic : noInteractions,
              snapshot,
              withTraining));
      warmedUp = true;
    }
    for (int run = 1; run <= settings.passThroughRuns(); run++) {
      report.run(passThrough(dim, run, itemsTopic, noInteractions, items));
    }
    boolean reencode = dim == 64 && settings.runs("reencode");
    QuasidJobOptions off =
        jobOptions("off-" + dim, dim, itemsTopic, noInteractions, snapshot, false);
    JobClient offJob = submitQuasid(off, modelTopic, "QuaSID training off " + dim + "-d");
    RunResult offRun;
    try (CommittedWatcher watcher = watch(off, System.currentTimeMillis())) {
      offRun =
          awaitCatalogue(TRAINING_OFF, dim, items, offJob, watcher, null, -1, deadLetterTopic(off));
      report.run(offRun);
      if (reencode && offRun.complete()) {
        report.reencode(
            reencode(
                off, offJob, watcher, modelTopic, catalogue, items, offRun, initialVersion + 1));
      }
    } finally {
      cancel(offJob);
    }
    if (withInteractions && settings.runs("training-off-interactions")) {
      report.run(
          passThroughWithInteractions(dim, itemsTopic, interactionsTopic, items, interactions));
      // Training off but reading the interaction stream the training-on jobs read, as a job
      // without training does in production (the gate checks every interaction): what the
      // stream costs assignment, apart from what training costs.
      QuasidJobOptions offWith =
          jobOptions("off-int-" + dim, dim, itemsTopic, interactionsTopic, snapshot, false);
      report.run(trainingOn(TRAINING_OFF_INTERACTIONS, offWith, dim, items, interactions));
    }
    if (withTraining && settings.runs("training-on")) {
      QuasidJobOptions on =
          jobOptions("on-" + dim, dim, itemsTopic, interactionsTopic, snapshot, true);
      report.run(trainingOn(TRAINING_ON, on, dim, items, interactions));
      int variant = 0;
      for (Map.Entry<String, String> option : settings.compareOptions()) {
        QuasidJobOptions compared =
            jobOptions(
                    "on-" + ++variant + "-" + dim,
                    dim,
                    itemsTopic,
                    interactionsTopic,
                    snapshot,
                    true)
                .with(option.getKey(), option.getValue());
        String label = TRAINING_ON + ", " + option.getKey() + "=" + option.getValue();
        report.run(trainingOn(label, compared, dim, items, interactions));
      }
    }
    if (withTraining && settings.runs("training-on-all")) {
      // The same job taking every engagement into training: what the admission budget saves.
      QuasidJobOptions all =
          jobOptions("on-all-" + dim, dim, itemsTopic, interactionsTopic, snapshot, true)
              .with(PairOptions.MAX_ENGAGEMENTS_PER_SECOND.key(), "0");
      report.run(trainingOn(TRAINING_ON_ALL, all, dim, items, interactions));
    }
    if (dim == 64 && offRun.complete() && settings.runs("latency")) {
      // Both delivery modes at the same rate, one after the other, each on a fresh job.
      for (DeliveryGuarantee delivery :
          List.of(DeliveryGuarantee.EXACTLY_ONCE, DeliveryGuarantee.AT_LEAST_ONCE)) {
        report.latency(latencyRun(catalogue, snapshot, offRun.pacingRate(), delivery));
      }
    }
    deleteTopics(itemsTopic, interactionsTopic);
  }

  /**
   * Runs the QuaSID job (training on where the run trains) for the warm-up time and discards it.
   * The first training-on job of a run measured 13-39 % slower than an identical one after it
   * (streaming-notes.md), so without this the job measured first pays for the JVM's first run of
   * the job's code.
   *
   * @return what ran, for the report
   */
  private String warmUp(
      int dim, String itemsTopic, String interactionsTopic, Path snapshot, boolean training)
      throws Exception {
    QuasidJobOptions options =
        jobOptions("warm-up-" + dim, dim, itemsTopic, interactionsTopic, snapshot, training);
    JobClient job = submitQuasid(options, null, "warm-up " + dim + "-d");
    try (CommittedWatcher watcher = watch(options, System.currentTimeMillis())) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.warmUpSeconds());
      while (System.nanoTime() < end && !job.getJobStatus().get().isGloballyTerminalState()) {
        Thread.sleep(500);
      }
      String ran =
          String.format(
              Locale.ROOT,
              "a QuaSID job (training %s, %d-d, the same topics) ran %d s before the first measured"
                  + " job and was cancelled, not measured (%,d items committed); every measured job"
                  + " runs in a JVM that has run the job's code",
              training ? "on" : "off",
              dim,
              settings.warmUpSeconds(),
              watcher.count(CATALOGUE));
      log("warm-up: " + ran);
      return ran;
    } finally {
      cancel(job);
    }
  }

  private RunResult trainingOn(
      String label, QuasidJobOptions options, int dim, long items, long interactions)
      throws Exception {
    JobClient job = submitQuasid(options, null, label + " " + dim + "-d");
    try (CommittedWatcher watcher = watch(options, System.currentTimeMillis())) {
      return awaitCatalogue(
          label, dim, items, job, watcher, options, interactions, deadLetterTopic(options));
    } finally {
      cancel(job);
    }
  }

  // ---------------------------------------------------------------- jobs

  private QuasidJobOptions jobOptions(
      String name,
      int dim,
      String itemsTopic,
      String interactionsTopic,
      Path snapshot,
      boolean training) {
    QuasidJobOptions o =
        QuasidJobOptions.defaults()
            .with(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
            .with(KafkaOptions.START_OFFSETS, StartOffsets.EARLIEST)
            .with(RuntimeOptions.PARALLELISM, StreamingSettings.PARALLELISM)
            .with(RuntimeOptions.CHECKPOINT_INTERVAL, StreamingSettings.CHECKPOINT_INTERVAL)
            .with(
                RuntimeOptions.CHECKPOINT_DIR,
                workDir.resolve("checkpoints-" + name).toUri().toString())
            .with(InputOptions.VECTOR_DIM, dim)
            .with(KafkaOptions.ITEMS_TOPIC, itemsTopic)
            .with(KafkaOptions.INTERACTIONS_TOPIC, interactionsTopic)
            .with(KafkaOptions.SID_TOPIC, name + "-sid")
            .with(KafkaOptions.DEAD_LETTER_TOPIC, name + "-dlq")
            .with(KafkaOptions.MIGRATIONS_TOPIC, name + "-migrations")
            .with(KafkaOptions.GROUP_ID, "bench-" + name)
            .with(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "bench-" + name);
    if (snapshot != null) {
      o = o.with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString());
    }
    if (training) {
      o =
          o.with(QuasidJobOptions.TRAINING_ENABLED, true)
              .with(FineTuneOptions.WARM_START, snapshot.toString());
    }
    for (Map.Entry<String, String> option : settings.jobOptions().entrySet()) {
      o = o.with(option.getKey(), option.getValue());
    }
    createTopic(name + "-sid", StreamingSettings.PARALLELISM);
    createTopic(name + "-dlq", 1);
    createTopic(name + "-migrations", 1);
    return o.validate();
  }

  /**
   * The job's environment ({@link QuasidStreamJob#environment}) plus what the benchmark reads
   * through (a known REST port, a long checkpoint history, fresh metrics), the deployed
   * TaskManager's managed memory and the run's {@code --flink-option}s.
   */
  private StreamExecutionEnvironment environment(QuasidJobOptions options) {
    StreamExecutionEnvironment env = QuasidStreamJob.environment(options);
    Configuration local = new Configuration();
    local.set(RestOptions.BIND_PORT, Integer.toString(restPort));
    local.set(RestOptions.PORT, restPort);
    local.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 2000);
    local.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
    local.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, settings.managedMemory());
    local.addAll(Configuration.fromMap(settings.flinkOptions()));
    env.configure(local);
    return env;
  }

  /**
   * The QuaSID job as {@code defineKafkaWorkflow} builds it; with {@code modelTopic}, model
   * versions come from that topic through {@code defineWorkflow}'s {@code modelUpdates} end instead
   * of the no-update placeholder (training off either way).
   */
  private JobClient submitQuasid(QuasidJobOptions options, String modelTopic, String name)
      throws Exception {
    StreamExecutionEnvironment env = environment(options);
    DataStream<ModelUpdate> updates = null;
    if (modelTopic != null) {
      updates =
          QuasidStreamJob.kafkaStream(
                  env,
                  KafkaConnectors.itemSource(options.with(KafkaOptions.ITEMS_TOPIC, modelTopic)),
                  "Kafka model updates",
                  "bench-model-updates-source")
              .map(new ModelUpdateDecoder(), TypeInformation.of(ModelUpdate.class))
              .uid("bench-model-update-decoder")
              .name("Decode model updates");
    }
    QuasidStreamJob.defineKafkaWorkflow(
        env, options, QuasidStreamJob.kafkaItems(env, options), updates);
    log("submitting " + name);
    return env.executeAsync(name);
  }

  private RunResult passThrough(int dim, int run, String itemsTopic, String unused, long items)
      throws Exception {
    return passThrough(PASS_THROUGH, "pass-" + dim + "-" + run, dim, itemsTopic, unused, items, -1);
  }

  /**
   * The pass-through job reading the interaction stream as well (decoded, shuffled by item,
   * dropped): the baseline of the interactions/s of the job with training off.
   */
  private RunResult passThroughWithInteractions(
      int dim, String itemsTopic, String interactionsTopic, long items, long interactions)
      throws Exception {
    return passThrough(
        PASS_THROUGH_INTERACTIONS,
        "pass-int-" + dim,
        dim,
        itemsTopic,
        interactionsTopic,
        items,
        interactions);
  }

  /**
   * @param interactions the interactions the job reads and is measured on; -1: it reads none
   */
  private RunResult passThrough(
      String label,
      String name,
      int dim,
      String itemsTopic,
      String interactionsTopic,
      long items,
      long interactions)
      throws Exception {
    QuasidJobOptions options = jobOptions(name, dim, itemsTopic, interactionsTopic, null, false);
    StreamExecutionEnvironment env = environment(options);
    int maxBytes = options.get(InputOptions.MAX_RECORD_BYTES);
    long maxSkew = options.get(InputOptions.MAX_FUTURE_SKEW).toMillis();
    boolean withInteractions = interactions >= 0;
    PassThroughSid.define(
        env,
        options,
        new ItemFeatureDecoder(dim, maxBytes, maxSkew),
        withInteractions ? new InteractionDecoder(maxBytes, maxSkew) : null);
    log("submitting " + label + " " + dim + "-d (" + name + ")");
    long submitted = System.currentTimeMillis();
    JobClient job = env.executeAsync(label + " " + dim + "-d");
    try (CommittedWatcher watcher = watch(options, submitted)) {
      return awaitCatalogue(
          label, dim, items, job, watcher, withInteractions ? options : null, interactions, null);
    } finally {
      cancel(job);
    }
  }

  private CommittedWatcher watch(QuasidJobOptions options, long startMillis) {
    return new CommittedWatcher(
        kafka.bootstrapServers(), options.get(KafkaOptions.SID_TOPIC), CATALOGUE, startMillis);
  }

  /**
   * Waits until every catalogue item has a committed record (or the job ends, or the phase times
   * out); with {@code training} set, also follows the job's committed interaction offsets.
   *
   * @param deadLetterTopic the job's dead-letter topic, counted at the end; null for none
   */
  private RunResult awaitCatalogue(
      String jobName,
      int dim,
      long items,
      JobClient job,
      CommittedWatcher watcher,
      QuasidJobOptions training,
      long interactions,
      String deadLetterTopic)
      throws Exception {
    long submitted = System.currentTimeMillis();
    long deadline = System.nanoTime() + settings.phaseTimeout().toNanos();
    long nextLog = 0;
    List<long[]> offsets = new ArrayList<>();
    while (watcher.count(CATALOGUE) < items && System.nanoTime() < deadline) {
      if (job.getJobStatus().get().isGloballyTerminalState()) {
        throw new IllegalStateException(jobName + " ended: " + job.getJobStatus().get());
      }
      if (training != null) {
        offsets.add(new long[] {System.currentTimeMillis(), committedOffsets(training)});
      }
      if (System.nanoTime() > nextLog) {
        log(
            String.format(
                "  %s %d-d: %,d / %,d committed", jobName, dim, watcher.count(CATALOGUE), items));
        nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      }
      Thread.sleep(training != null ? 500 : 200);
    }
    // The trainer reads interactions at its own pace: give it up to a minute more to finish them.
    long extra = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.quick() ? 10 : 60);
    while (training != null
        && committedOffsets(training) < interactions
        && System.nanoTime() < extra) {
      offsets.add(new long[] {System.currentTimeMillis(), committedOffsets(training)});
      Thread.sleep(500);
    }
    if (training != null) {
      offsets.add(new long[] {System.currentTimeMillis(), committedOffsets(training)});
    }
    CommittedWatcher.PrefixStats stats = watcher.stats(CATALOGUE);
    List<FlinkRest.Checkpoint> checkpoints = rest.checkpoints(job.getJobID());
    double steady = (stats.lastVisible - stats.firstVisible) / 1000.0;
    double submit = (stats.lastVisible - submitted) / 1000.0;
    long consumed = offsets.isEmpty() ? -1 : offsets.get(offsets.size() - 1)[1];
    RunResult r =
        new RunResult(
            jobName,
            dim,
            items,
            stats.count,
            stats.steadyRate(StreamingSettings.CHECKPOINT_INTERVAL.toMillis(), 2),
            steady,
            submit,
            consumed,
            interactionRate(offsets, stats.firstVisible),
            watcher.versionsSeen().stream().sorted().toList(),
            checkpoints,
            watcher.series(),
            deadLetterTopic == null
                ? null
                : DeadLetterSummary.read(kafka.bootstrapServers(), deadLetterTopic));
    log(
        String.format(
            "  %s %d-d: %,d items, %,.0f items/s steady (%.1f s), %,.0f from submit%s",
            jobName,
            dim,
            r.committed(),
            r.itemsPerSecond(),
            steady,
            r.submitItemsPerSecond(),
            training == null
                ? ""
                : String.format(
                    ", %,d interactions at %,.0f/s", consumed, r.interactionsPerSecond())));
    return r;
  }

  /**
   * Interactions/s over the same window as the items' steady rate: from the first committed item
   * output ({@code fromMillis}) to the sample at which the committed offsets last grew; committed
   * offsets move at checkpoints, so this is coarse by one interval. NaN if they did not grow after
   * {@code fromMillis}.
   *
   * @param samples {time millis, committed offsets} in time order
   */
  static double interactionRate(List<long[]> samples, long fromMillis) {
    long[] start = null;
    long[] last = null;
    for (int i = 0; i < samples.size(); i++) {
      long[] s = samples.get(i);
      if (s[0] <= fromMillis) {
        start = s;
      } else if (i > 0 && s[1] > samples.get(i - 1)[1]) {
        last = s;
      }
    }
    if (start == null || last == null || last[1] <= start[1]) {
      return Double.NaN;
    }
    return (last[1] - start[1]) * 1000.0 / (last[0] - start[0]);
  }

  private static String deadLetterTopic(QuasidJobOptions options) {
    return options.get(KafkaOptions.DEAD_LETTER_TOPIC);
  }

  /** The interactions the job's source has committed for its consumer group. */
  private long committedOffsets(QuasidJobOptions options) throws Exception {
    String topic = options.get(KafkaOptions.INTERACTIONS_TOPIC);
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(options.get(KafkaOptions.GROUP_ID))
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    return offsets.entrySet().stream()
        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  // ---------------------------------------------------------------- re-encode

  private ReencodeResult reencode(
      QuasidJobOptions options,
      JobClient job,
      CommittedWatcher watcher,
      String modelTopic,
      SyntheticCatalogue catalogue,
      long items,
      RunResult offRun,
      long version)
      throws Exception {
    byte[] next = nextModel(catalogue, items, options);
    double newRate = Math.max(1, settings.reencodeNewRateFraction() * offRun.pacingRate());
    String itemsTopic = options.get(KafkaOptions.ITEMS_TOPIC);
    Thread.sleep(StreamingSettings.CHECKPOINT_INTERVAL.toMillis() * 2);
    log(
        String.format(
            "re-encode: publishing model v%d (%,d bytes), new items at %.0f/s",
            version, next.length, newRate));
    AtomicBoolean publishing = new AtomicBoolean(true);
    AtomicLong published = new AtomicLong();
    long publishedAt = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer = modelProducer()) {
      producer
          .send(
              new ProducerRecord<>(
                  modelTopic,
                  null,
                  publishedAt,
                  Long.toString(version).getBytes(StandardCharsets.UTF_8),
                  next))
          .get();
    }
    long deadline = System.nanoTime() + settings.phaseTimeout().toNanos();
    long changed = -1;
    long nextLog = 0;
    Thread newItems = null;
    long lastSeen = -1;
    long lastProgress = System.nanoTime();
    while (System.nanoTime() < deadline) {
      if (changed < 0) {
        Map<String, Double> m =
            rest.vertexMetrics(
                job.getJobID(),
                "SID assigner",
                List.of("liveModelVersion", "reencodeInProgress", "lastVersionChurn"));
        boolean switched =
            m.getOrDefault("liveModelVersion", 0.0)
                == (double) version * StreamingSettings.PARALLELISM;
        // New items start once both assigners run the new version, so every one of them is
        // encoded with it on arrival and none is counted in the sweep's churn.
        if (switched && newItems == null) {
          newItems =
              paced(
                  itemsTopic, catalogue, NEW_ITEM, newRate, Long.MAX_VALUE, publishing, published);
        }
        if (switched
            && m.getOrDefault("reencodeInProgress", 1.0) == 0.0
            && m.containsKey("lastVersionChurn")) {
          changed = Math.round(m.get("lastVersionChurn"));
          log(String.format("re-encode: assigners done, %,d SIDs changed", changed));
          // The wait for their commits starts now: under BUDGET nothing moves before the sweep
          // has ranked the whole catalogue, so nothing was visible until this point.
          lastProgress = System.nanoTime();
        }
      }
      long seen = watcher.versionCount(version, CATALOGUE);
      if (changed >= 0 && seen >= changed) {
        break;
      }
      if (seen != lastSeen) {
        lastSeen = seen;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress
          > TimeUnit.SECONDS.toNanos(changed >= 0 ? 30 : 180)) {
        // Nothing new became visible for that long: report what was reached rather than wait
        // out the phase timeout (a sweep that holds back checkpoints commits nothing).
        log(
            "re-encode: no changed SID committed for "
                + (changed >= 0 ? 30 : 180)
                + " s; giving up");
        break;
      }
      if (System.nanoTime() > nextLog) {
        log(
            String.format(
                "  re-encode: %,d changed SIDs committed%s",
                seen, changed < 0 ? " (sweep running)" : String.format(" of %,d", changed)));
        nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      }
      Thread.sleep(250);
    }
    long seen = watcher.versionCount(version, CATALOGUE);
    boolean finished = changed >= 0 && seen >= changed;
    long doneAt = watcher.versionLastVisible(version, CATALOGUE);
    publishing.set(false);
    if (newItems != null) {
      newItems.join();
    }
    // Let the new items published last reach the topic before reading their latencies.
    long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (watcher.count(NEW_ITEM) < published.get() && System.nanoTime() < settle) {
      Thread.sleep(200);
    }
    List<FlinkRest.Checkpoint> during = new ArrayList<>();
    long end = finished ? doneAt : System.currentTimeMillis();
    for (FlinkRest.Checkpoint c : rest.checkpoints(job.getJobID())) {
      if (c.triggeredAt() >= publishedAt && c.triggeredAt() <= end) {
        during.add(c);
      }
    }
    CommittedWatcher.PrefixStats fresh = watcher.stats(NEW_ITEM);
    ReencodeResult r =
        new ReencodeResult(
            offRun.committed(),
            changed,
            seen,
            finished ? (doneAt - publishedAt) / 1000.0 : Double.NaN,
            during,
            newRate,
            new Percentiles(fresh.latencyArray()));
    log(
        String.format(
            "re-encode: %,d of %,d changed SIDs committed in %.1f s, %d checkpoints",
            seen, changed, r.secondsToAllCommitted(), during.size()));
    return r;
  }

  private KafkaProducer<byte[], byte[]> modelProducer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            64 * 1024 * 1024,
            ProducerConfig.ACKS_CONFIG,
            "all"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  // ---------------------------------------------------------------- latency

  private LatencyResult latencyRun(
      SyntheticCatalogue catalogue, Path snapshot, double maxRate, DeliveryGuarantee delivery)
      throws Exception {
    String mode = delivery == DeliveryGuarantee.EXACTLY_ONCE ? "eo" : "alo";
    String topic = "latency-items-64-" + mode;
    createTopic(topic, StreamingSettings.PARALLELISM);
    String none = "no-interactions-64";
    QuasidJobOptions options =
        jobOptions("latency-64-" + mode, 64, topic, none, snapshot, false)
            .with(KafkaOptions.SID_DELIVERY, delivery)
            .validate();
    double rate = Math.max(1, settings.latencyRateFraction() * maxRate);
    JobClient job = submitQuasid(options, null, "QuaSID latency run, " + delivery);
    try (CommittedWatcher watcher = watch(options, System.currentTimeMillis())) {
      // Warm-up: a few seconds of traffic until the first SIDs are committed.
      AtomicBoolean on = new AtomicBoolean(true);
      AtomicLong warm = new AtomicLong();
      Thread warmup = paced(topic, catalogue, WARMUP_ITEM, rate, Long.MAX_VALUE, on, warm);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (watcher.count(WARMUP_ITEM) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      Thread.sleep(3000);
      on.set(false);
      warmup.join();
      log(
          String.format(
              "latency %s: warm (%,d items), publishing at %.0f/s for %d s",
              delivery, warm.get(), rate, settings.latencySeconds()));
      long count = Math.round(rate * settings.latencySeconds());
      AtomicLong published = new AtomicLong();
      Thread measured =
          paced(topic, catalogue, LATENCY_ITEM, rate, count, new AtomicBoolean(true), published);
      measured.join();
      long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (watcher.count(LATENCY_ITEM) < published.get() && System.nanoTime() < settle) {
        Thread.sleep(200);
      }
      CommittedWatcher.PrefixStats stats = watcher.stats(LATENCY_ITEM);
      Percentiles p = new Percentiles(stats.latencyArray());
      log(
          String.format(
              "latency %s: %,d of %,d committed, p50 %d ms, p99 %d ms",
              delivery, stats.count, published.get(), p.quantile(0.5), p.quantile(0.99)));
      return new LatencyResult(
          delivery, rate, published.get(), stats.count, p, rest.checkpoints(job.getJobID()));
    } finally {
      cancel(job);
    }
  }

  /**
   * A thread publishing catalogue vectors under fresh ids ({@code prefix} + counter) at {@code
   * rate}/s, event time = send time, until {@code count} are sent or {@code running} turns false.
   */
  private Thread paced(
      String topic,
      SyntheticCatalogue catalogue,
      String prefix,
      double rate,
      long count,
      AtomicBoolean running,
      AtomicLong published) {
    Thread t =
        new Thread(
            () -> {
              RatePacer pacer = new RatePacer(rate);
              try (TopicPublisher out = new TopicPublisher(kafka.bootstrapServers(), 0)) {
                for (long i = 0; i < count && running.get(); i++) {
                  pacer.acquire();
                  out.sendItem(
                      topic,
                      SyntheticCatalogue.itemId(prefix, i),
                      catalogue.vector(10_000_000L + i),
                      Instant.now());
                  published.incrementAndGet();
                }
                out.flush();
              }
            },
            "paced-" + prefix);
    t.setDaemon(true);
    t.start();
    return t;
  }

  // ---------------------------------------------------------------- data and models

  private static int kmeansRows(long items) {
    return (int) Math.min(items, StreamingSettings.KMEANS_SAMPLE);
  }

  /** The demo's initial model: seeded, codebooks k-means-initialised on a catalogue sample. */
  private long initialModel(SyntheticCatalogue catalogue, long items, Path file, long seed)
      throws IOException {
    QuasidJobOptions o =
        QuasidJobOptions.defaults()
            .with(InputOptions.VECTOR_DIM, catalogue.dim())
            .with(ModelOptions.MODEL_SEED, seed);
    try (QuasidModel model = QuasidModel.create(o.modelConfig())) {
      model.initCodebooks(catalogue.sample(items, kmeansRows(items)));
      Files.write(file, model.snapshot().bytes());
      return model.modelVersion();
    }
  }

  /**
   * The re-encode run's new version: another seed, k-means on another sample (every other item
   * offset by one), as an inference snapshot like the trainer broadcasts.
   */
  private byte[] nextModel(SyntheticCatalogue catalogue, long items, QuasidJobOptions options) {
    QuasidJobOptions o = options.with(ModelOptions.MODEL_SEED, 4242L);
    try (QuasidModel model = QuasidModel.create(o.modelConfig())) {
      float[][] sample = catalogue.sample(items, kmeansRows(items));
      float[][] shifted = new float[sample.length][];
      long step = Math.max(1, items / sample.length);
      for (int k = 0; k < sample.length; k++) {
        shifted[k] = catalogue.vector(Math.min(items - 1, k * step + 1));
      }
      model.initCodebooks(shifted);
      return model.inferenceSnapshot().bytes();
    }
  }

  private void publishCatalogue(SyntheticCatalogue catalogue, String topic, long items) {
    try (TopicPublisher out = new TopicPublisher(kafka.bootstrapServers(), 20)) {
      Instant now = Instant.now();
      for (long i = 0; i < items; i++) {
        out.sendItem(topic, SyntheticCatalogue.itemId(CATALOGUE, i), catalogue.vector(i), now);
      }
      long acked = out.flush();
      if (acked != items) {
        throw new IllegalStateException("published " + acked + " of " + items + " items");
      }
    }
  }

  /**
   * Sessions of {@value #SESSION} interactions per user, users interleaved as live traffic would
   * arrive; event times rise by one millisecond per record.
   */
  private void publishInteractions(String topic, long items, long interactions) {
    long users = Math.max(1, interactions / SESSION);
    long t = System.nanoTime();
    try (TopicPublisher out = new TopicPublisher(kafka.bootstrapServers(), 20)) {
      long millis = System.currentTimeMillis();
      long sent = 0;
      for (int k = 0; k < SESSION && sent < interactions; k++) {
        for (long u = 0; u < users && sent < interactions; u++) {
          long item = SyntheticCatalogue.interactionItem(u, k, items, 99L);
          out.sendInteraction(
              topic,
              "user-" + u,
              SyntheticCatalogue.itemId(CATALOGUE, item),
              Instant.ofEpochMilli(millis++));
          sent++;
        }
      }
      out.flush();
      log(
          String.format(
              "published %,d interactions of %,d users in %.1f s",
              sent, users, (System.nanoTime() - t) / 1e9));
    }
  }

  private static final int SESSION = 10;

  // ---------------------------------------------------------------- plumbing

  private void createTopic(String name, int partitions) {
    createTopic(new NewTopic(name, partitions, (short) 1));
  }

  private void createModelTopic(String name) {
    createTopic(
        new NewTopic(name, 1, (short) 1)
            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(64 << 20))));
  }

  private void createTopic(NewTopic topic) {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (!existing.contains(topic.name())) {
        admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic.name(), e);
    }
  }

  /** Frees the broker's disk between dimensions (a 768-d catalogue is 3 KB per item). */
  private void deleteTopics(String... names) {
    try {
      admin.deleteTopics(List.of(names)).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log("could not delete topics " + List.of(names) + ": " + e);
    }
  }

  /** Cancels the job and deletes its checkpoints (full RocksDB snapshots fill the disk). */
  private void cancel(JobClient job) {
    try {
      job.cancel().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log("cancel of " + job.getJobID() + " failed: " + e);
    }
    try (Stream<Path> dirs = Files.list(workDir)) {
      dirs.filter(d -> d.getFileName().toString().startsWith("checkpoints-"))
          .forEach(StreamingBenchmark::deleteRecursively);
    } catch (IOException e) {
      log("could not delete checkpoints: " + e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static void log(String message) {
    System.out.printf("[streaming %tT] %s%n", System.currentTimeMillis(), message);
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException | RuntimeException e) {
      // Best effort: a leftover temp directory is no reason to lose the report.
    }
  }
}
