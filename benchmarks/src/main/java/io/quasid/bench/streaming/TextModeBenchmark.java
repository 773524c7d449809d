package io.quasid.bench.streaming;

import io.quasid.bench.BenchmarkCommandLine;
import io.quasid.bench.BenchmarkFlags;
import io.quasid.job.QuasidStreamJob;
import io.quasid.job.config.FeatureSource;
import io.quasid.job.config.InputOptions;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.ModelOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.config.StartOffsets;
import io.quasid.job.config.TextOptions;
import io.quasid.job.embedded.EmbeddedKafka;
import io.quasid.job.pipeline.ItemFeatureDecoder;
import io.quasid.job.pipeline.WireInput;
import io.quasid.job.sample.CatalogPublisher;
import io.quasid.job.sample.ScientificCatalog;
import io.quasid.job.text.ItemTexts;
import io.quasid.job.text.SentenceEncoder;
import io.quasid.model.QuasidModel;
import io.quasid.schemas.AvroWire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Text mode end to end (issue 24): the bundled Scientific catalogue published as text only, through
 * the QuaSID job with {@code features.source=text} at each {@code text.parallelism}, against two
 * baselines measured in the same run: the sentence encoder's own rate (the same texts, the same
 * batches, on one thread, as one embedding subtask runs them) and a pass-through job over the same
 * topic (decode, keyed shuffle, exactly-once sink). Writes {@code text-mode.md}.
 */
public final class TextModeBenchmark {

  /** The flags: how many texts, which embedding parallelisms, where the report goes. */
  @Command(
      name = "TextModeBenchmark",
      sortOptions = false,
      description = {
        "Items/s of the job in text mode (Scientific item texts, the in-process sentence encoder)"
            + " against the encoder's own rate and a pass-through job, in one run; writes"
            + " text-mode.md."
      })
  static final class Flags implements BenchmarkFlags<Flags> {

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help and exit.")
    boolean help;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Where text-mode.md goes (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("benchmarks", "results");

    @Option(
        names = "--items",
        paramLabel = "N",
        description =
            "Items of the bundled Scientific catalogue to publish, at most 4,344 (default:"
                + " ${DEFAULT-VALUE}).")
    int items = 4_344;

    @Option(
        names = "--text-parallelism",
        paramLabel = "LIST",
        split = ",",
        description = "Embedding-stage parallelisms, one job each (default: 1,2).")
    List<Integer> textParallelism = new ArrayList<>(List.of(1, 2));

    @Override
    public Flags settings() {
      BenchmarkFlags.require(items >= 100 && items <= 4_344, "--items must be in 100..4344");
      BenchmarkFlags.require(
          !textParallelism.isEmpty() && textParallelism.stream().allMatch(p -> p >= 1 && p <= 8),
          "--text-parallelism takes values in 1..8");
      return this;
    }
  }

  private static final int JOB_PARALLELISM = 2;

  /**
   * A job's rate: steady (items after the first commit's burst, over the first to the last
   * committed SID; NaN when all came in one or two commits) and from submission (startup included).
   */
  record Rate(double steady, double fromSubmit) {

    /** The steady rate where there is one, else the rate from submission (a lower bound). */
    double best() {
      return Double.isNaN(steady) ? fromSubmit : steady;
    }
  }

  private static final String TOPIC = "text-items";

  private final Flags flags;
  private final EmbeddedKafka kafka;
  private final Path workDir;

  private TextModeBenchmark(Flags flags, EmbeddedKafka kafka, Path workDir) {
    this.flags = flags;
    this.kafka = kafka;
    this.workDir = workDir;
  }

  public static void main(String[] args) throws Exception {
    Optional<Flags> parsed = BenchmarkCommandLine.parseOrExit(new Flags(), args);
    if (parsed.isEmpty()) {
      return;
    }
    Path workDir = Files.createTempDirectory("quasid-text-bench-");
    String machine = Machine.describe();
    long start = System.nanoTime();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      new TextModeBenchmark(parsed.get(), kafka, workDir).run(machine, start);
    }
    System.exit(0);
  }

  private void run(String machine, long start) throws Exception {
    ScientificCatalog catalog = ScientificCatalog.load();
    List<String> ids = catalog.itemIds().subList(0, flags.items);
    List<String> texts = ids.stream().map(id -> ItemTexts.compose(catalog.text(id))).toList();
    int batch = TextOptions.BATCH_SIZE.defaultValue();

    // The encoder alone: a warm-up batch, then every text in the stage's batch size, one thread.
    SentenceEncoder encoder = new SentenceEncoder();
    encoder.embed(texts.subList(0, Math.min(batch, texts.size())));
    float[][] vectors = new float[texts.size()][];
    long t0 = System.nanoTime();
    for (int from = 0; from < texts.size(); from += batch) {
      float[][] out = encoder.embed(texts.subList(from, Math.min(texts.size(), from + batch)));
      System.arraycopy(out, 0, vectors, from, out.length);
    }
    double encoderRate = texts.size() / ((System.nanoTime() - t0) / 1e9);
    log(String.format(Locale.ROOT, "encoder alone: %,.1f texts/s", encoderRate));

    kafka.createTopic(TOPIC, JOB_PARALLELISM, false);
    kafka.createTopic("unused-interactions", JOB_PARALLELISM, false);
    try (CatalogPublisher publisher = new CatalogPublisher(kafka.bootstrapServers())) {
      publisher.publishTextItems(catalog, ids, TOPIC, Instant.now());
    }

    List<String> rows = new ArrayList<>();
    rows.add(
        row(
            "sentence encoder alone (1 thread, batches of " + batch + ")",
            new Rate(encoderRate, Double.NaN),
            encoderRate));
    Rate pass = passThrough();
    rows.add(row("pass-through job (decode, keyed shuffle, exactly-once sink)", pass, encoderRate));
    Path snapshot = initialModel(vectors);
    List<Double> rates = new ArrayList<>();
    for (int p : flags.textParallelism) {
      Rate rate = quasid(p, snapshot);
      rates.add(rate.best());
      rows.add(row("QuaSID job, text mode, text.parallelism = " + p, rate, encoderRate));
    }
    write(machine, rows, encoderRate, pass, rates, (System.nanoTime() - start) / 1e9);
  }

  private static String row(String name, Rate rate, double encoderRate) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %.0f %% |",
        name,
        Double.isNaN(rate.steady())
            ? "one burst"
            : String.format(Locale.ROOT, "%,.1f", rate.steady()),
        Double.isNaN(rate.fromSubmit())
            ? "-"
            : String.format(Locale.ROOT, "%,.1f", rate.fromSubmit()),
        100 * rate.best() / encoderRate);
  }

  /** A job's options, with its three output topics created. */
  private QuasidJobOptions jobOptions(String name) {
    kafka.createTopic(name + "-sid", JOB_PARALLELISM, true);
    kafka.createTopic(name + "-dlq", 1, false);
    kafka.createTopic(name + "-migrations", 1, true);
    return options(name);
  }

  private QuasidJobOptions options(String name) {
    return QuasidJobOptions.defaults()
        .with(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
        .with(KafkaOptions.START_OFFSETS, StartOffsets.EARLIEST)
        .with(RuntimeOptions.PARALLELISM, JOB_PARALLELISM)
        .with(RuntimeOptions.CHECKPOINT_INTERVAL, StreamingSettings.CHECKPOINT_INTERVAL)
        .with(RuntimeOptions.CHECKPOINT_DIR, workDir.resolve(name).toUri().toString())
        .with(KafkaOptions.ITEMS_TOPIC, TOPIC)
        .with(KafkaOptions.INTERACTIONS_TOPIC, "unused-interactions")
        .with(KafkaOptions.SID_TOPIC, name + "-sid")
        .with(KafkaOptions.DEAD_LETTER_TOPIC, name + "-dlq")
        .with(KafkaOptions.MIGRATIONS_TOPIC, name + "-migrations")
        .with(KafkaOptions.GROUP_ID, "bench-" + name)
        .with(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "bench-" + name)
        .with(TextOptions.FEATURE_SOURCE, FeatureSource.TEXT)
        .with(InputOptions.VECTOR_DIM, SentenceEncoder.DIMENSION);
  }

  /** The pass-through over the same text records: decoded as text, never embedded. */
  private Rate passThrough() throws Exception {
    QuasidJobOptions options = jobOptions("text-pass").validate();
    StreamExecutionEnvironment env = QuasidStreamJob.environment(options);
    PassThroughSid.define(
        env,
        options,
        new ItemFeatureDecoder(
            WireInput.singleObject(AvroWire.ITEM_FEATURES),
            FeatureSource.TEXT,
            options.get(TextOptions.MAX_CHARS),
            SentenceEncoder.DIMENSION,
            options.get(InputOptions.MAX_RECORD_BYTES),
            options.get(InputOptions.MAX_FUTURE_SKEW).toMillis()));
    long submitted = System.currentTimeMillis();
    JobClient job = env.executeAsync("text pass-through");
    return await("pass-through", options, job, submitted);
  }

  private Rate quasid(int textParallelism, Path snapshot) throws Exception {
    String name = "text-p" + textParallelism;
    QuasidJobOptions options =
        jobOptions(name)
            .with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString())
            .with(TextOptions.PARALLELISM, textParallelism)
            .validate();
    long submitted = System.currentTimeMillis();
    JobClient job = QuasidStreamJob.submit(options, name);
    return await(name, options, job, submitted);
  }

  /** Items/s from the first committed SID to the last (steady: after the first commit's burst). */
  private Rate await(String name, QuasidJobOptions options, JobClient job, long submitted)
      throws Exception {
    try (CommittedWatcher watcher =
        new CommittedWatcher(
            kafka.bootstrapServers(), options.get(KafkaOptions.SID_TOPIC), "", submitted)) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
      long nextLog = 0;
      while (watcher.count("") < flags.items && System.nanoTime() < deadline) {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
          throw new IllegalStateException(name + " ended: " + job.getJobStatus().get());
        }
        if (System.nanoTime() > nextLog) {
          log(String.format(Locale.ROOT, "  %s: %,d / %,d", name, watcher.count(""), flags.items));
          nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        }
        Thread.sleep(200);
      }
      CommittedWatcher.PrefixStats stats = watcher.stats("");
      if (stats.count < flags.items) {
        throw new IllegalStateException(name + ": " + stats.count + " of " + flags.items);
      }
      Rate rate =
          new Rate(
              stats.steadyRate(StreamingSettings.CHECKPOINT_INTERVAL.toMillis(), 3),
              stats.count * 1000.0 / (stats.lastVisible - submitted));
      log(
          String.format(
              Locale.ROOT,
              "  %s: %,.1f items/s steady, %,.1f from submission (%.1f s from the first SID to"
                  + " the last)",
              name,
              rate.steady(),
              rate.fromSubmit(),
              (stats.lastVisible - stats.firstVisible) / 1000.0));
      return rate;
    } finally {
      job.cancel().get(60, TimeUnit.SECONDS);
    }
  }

  /** The job's default model (3 x 256) on 384-d text vectors, codebooks from these items. */
  private Path initialModel(float[][] vectors) throws IOException {
    Path file = workDir.resolve("text-model.snapshot");
    try (QuasidModel model = QuasidModel.create(options("model").modelConfig())) {
      model.initCodebooks(vectors);
      Files.write(file, model.snapshot().bytes());
    }
    return file;
  }

  private void write(
      String machine,
      List<String> rows,
      double encoderRate,
      Rate pass,
      List<Double> rates,
      double seconds)
      throws IOException {
    double best = rates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    StringBuilder md = new StringBuilder();
    md.append("# Text mode: items/s with the in-process sentence encoder\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Generated by `io.quasid.bench.streaming.TextModeBenchmark` on %s in %.0f s. %s%n%n",
            Instant.now(),
            seconds,
            machine));
    md.append(
        String.format(
            Locale.ROOT,
            "%,d items of the bundled Scientific catalogue, published as text only (title, brand,"
                + " categories, description; no vector) to a %d-partition topic once; every job"
                + " reads all of them from the start on an embedded broker and a local MiniCluster"
                + " (parallelism %d, checkpoints every %d s, exactly-once sinks). Steady rate ="
                + " items whose first SID was committed after the first commit's burst, over the"
                + " time from the first committed SID to the last (\"one burst\" when they all came"
                + " in one or two commits); from submission = all items over the time from"
                + " submitting the job to the last committed SID. The encoder's own rate is measured"
                + " in the same process before the jobs: the same texts, in the stage's batch size"
                + " (`text.batch-size`), on one thread, as one embedding subtask runs them (ONNX"
                + " Runtime's own intra-op threads come on top in both).%n%n",
            flags.items,
            JOB_PARALLELISM,
            JOB_PARALLELISM,
            StreamingSettings.CHECKPOINT_INTERVAL.toSeconds()));
    md.append(
        "| run | items/s, steady | items/s from submission | of the encoder's own rate |\n"
            + "|---|---|---|---|\n");
    rows.forEach(r -> md.append(r).append('\n'));
    md.append(
        String.format(
            Locale.ROOT,
            "%nTarget (issue 24): text mode keeps >= 90 %% of the embedding stage's own rate."
                + " Best here: %.0f %% (%s). The pass-through over the same records runs at"
                + " least %.0fx faster than the encoder (from submission, startup included:"
                + " all of its items came in one burst).%n",
            100 * best / encoderRate,
            best >= 0.9 * encoderRate ? "**met**" : "**missed**",
            pass.best() / encoderRate));
    md.append("\n## Reproduce\n\n```bash\nmvn -B -pl benchmarks -am package -DskipTests -Ptext");
    md.append(" -Dtext.args=\"--text-parallelism ")
        .append(String.join(",", flags.textParallelism.stream().map(String::valueOf).toList()))
        .append(" --items ")
        .append(flags.items)
        .append("\"\n```\n");
    Files.createDirectories(flags.out);
    Path report = flags.out.resolve("text-mode.md");
    Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
    log("wrote " + report);
  }

  private static void log(String line) {
    System.out.println("[text-mode] " + line);
  }
}
