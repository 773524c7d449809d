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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Text mode end to end (issue 24): the bundled Scientific catalogue published as text only, through
 * the QuaSID job with {@code features.source=text} at each {@code text.parallelism}, against two
 * baselines measured in the same run: the embedding stage's own rate (the same texts, the same
 * batches, on one thread per embedding subtask, with the same ONNX Runtime threads per call) and a
 * pass-through job over the same topic (decode, keyed shuffle, exactly-once sink). Writes {@code
 * text-mode.md}.
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

    @Option(
        names = "--intra-op-threads",
        paramLabel = "LIST",
        split = ",",
        description =
            "Values of text.intra-op-threads (ONNX Runtime threads per call; 0 = its default, one"
                + " per core, spinning), each with every parallelism (default: 1,0).")
    List<Integer> intraOpThreads = new ArrayList<>(List.of(1, 0));

    @Override
    public Flags settings() {
      BenchmarkFlags.require(items >= 100 && items <= 4_344, "--items must be in 100..4344");
      BenchmarkFlags.require(
          !textParallelism.isEmpty() && textParallelism.stream().allMatch(p -> p >= 1 && p <= 8),
          "--text-parallelism takes values in 1..8");
      BenchmarkFlags.require(
          !intraOpThreads.isEmpty() && intraOpThreads.stream().allMatch(t -> t >= 0 && t <= 8),
          "--intra-op-threads takes values in 0..8");
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

  /** One setting of the embedding stage: its subtasks and ONNX Runtime threads per call. */
  record Setting(int parallelism, int intraOpThreads) {}

  /** A job's rate at a setting, and the stage's own rate alone at the same setting. */
  record JobRate(Setting setting, double rate, double alone) {}

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

    // The stage alone, for every setting the jobs run with: p worker threads (one per embedding
    // subtask), each embedding its share of the texts in the stage's batch size.
    Map<Setting, Double> alone = new LinkedHashMap<>();
    float[][] vectors = null;
    for (int threads : flags.intraOpThreads) {
      for (int p : flags.textParallelism) {
        float[][] out = new float[texts.size()][];
        alone.put(new Setting(p, threads), encoderAlone(texts, batch, p, threads, out));
        vectors = vectors == null ? out : vectors;
      }
    }

    kafka.createTopic(TOPIC, JOB_PARALLELISM, false);
    kafka.createTopic("unused-interactions", JOB_PARALLELISM, false);
    try (CatalogPublisher publisher = new CatalogPublisher(kafka.bootstrapServers())) {
      publisher.publishTextItems(catalog, ids, TOPIC, Instant.now());
    }

    double bestAlone = alone.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    List<String> rows = new ArrayList<>();
    alone.forEach(
        (setting, rate) ->
            rows.add(
                row(
                    String.format(
                        Locale.ROOT,
                        "sentence encoder alone, %d worker thread(s), intra-op threads %s",
                        setting.parallelism(),
                        threadsLabel(setting.intraOpThreads())),
                    new Rate(rate, Double.NaN),
                    rate,
                    bestAlone)));
    Rate pass = passThrough();
    rows.add(
        row(
            "pass-through job (decode, keyed shuffle, exactly-once sink)",
            pass,
            Double.NaN,
            bestAlone));
    Path snapshot = initialModel(vectors);
    List<JobRate> jobs = new ArrayList<>();
    for (int threads : flags.intraOpThreads) {
      for (int p : flags.textParallelism) {
        Rate rate = quasid(p, threads, snapshot);
        Setting setting = new Setting(p, threads);
        double own = alone.get(setting);
        jobs.add(new JobRate(setting, rate.best(), own));
        rows.add(
            row(
                String.format(
                    Locale.ROOT,
                    "QuaSID job, text mode, text.parallelism = %d, text.intra-op-threads = %d",
                    p,
                    threads),
                rate,
                own,
                bestAlone));
      }
    }
    write(machine, rows, bestAlone, pass, jobs, (System.nanoTime() - start) / 1e9);
  }

  /** Texts/s of the encoder alone: {@code workers} threads, each over its share of the texts. */
  private static double encoderAlone(
      List<String> texts, int batch, int workers, int intraOpThreads, float[][] out)
      throws InterruptedException {
    SentenceEncoder encoder = new SentenceEncoder(intraOpThreads);
    encoder.embed(texts.subList(0, Math.min(batch, texts.size())));
    int share = (texts.size() + workers - 1) / workers;
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int w = 0; w < workers; w++) {
      int first = w * share;
      int end = Math.min(texts.size(), first + share);
      Thread t =
          new Thread(
              () -> {
                for (int from = first; from < end; from += batch) {
                  float[][] v = encoder.embed(texts.subList(from, Math.min(end, from + batch)));
                  System.arraycopy(v, 0, out, from, v.length);
                }
              },
              "encoder-alone-" + w);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double rate = texts.size() / ((System.nanoTime() - t0) / 1e9);
    log(
        String.format(
            Locale.ROOT,
            "encoder alone, %d worker(s), intra-op threads %s: %,.1f texts/s",
            workers,
            threadsLabel(intraOpThreads),
            rate));
    return rate;
  }

  private static String threadsLabel(int intraOpThreads) {
    return intraOpThreads == 0
        ? "0 (ONNX Runtime's default: one per core, spinning)"
        : String.valueOf(intraOpThreads);
  }

  /** A table row: the rate against the stage's own rate at the same setting and the best alone. */
  private static String row(String name, Rate rate, double ownRate, double bestAlone) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %.0f %% |",
        name,
        Double.isNaN(rate.steady())
            ? "one burst"
            : String.format(Locale.ROOT, "%,.1f", rate.steady()),
        Double.isNaN(rate.fromSubmit())
            ? "-"
            : String.format(Locale.ROOT, "%,.1f", rate.fromSubmit()),
        Double.isNaN(ownRate)
            ? "-"
            : String.format(Locale.ROOT, "%.0f %%", 100 * rate.best() / ownRate),
        100 * rate.best() / bestAlone);
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

  private Rate quasid(int textParallelism, int intraOpThreads, Path snapshot) throws Exception {
    String name = "text-p" + textParallelism + "-t" + intraOpThreads;
    QuasidJobOptions options =
        jobOptions(name)
            .with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString())
            .with(TextOptions.PARALLELISM, textParallelism)
            .with(TextOptions.INTRA_OP_THREADS, intraOpThreads)
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
      double bestAlone,
      Rate pass,
      List<JobRate> jobs,
      double seconds)
      throws IOException {
    // Judged where the stage has the most subtasks: one subtask alone is an easy baseline to keep.
    int widest = jobs.stream().mapToInt(j -> j.setting().parallelism()).max().orElseThrow();
    JobRate best =
        jobs.stream()
            .filter(j -> j.setting().parallelism() == widest)
            .max(Comparator.comparingDouble(j -> j.rate() / j.alone()))
            .orElseThrow();
    double fastest = jobs.stream().mapToDouble(JobRate::rate).max().orElseThrow();
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
                + " submitting the job to the last committed SID. The stage's own rate is measured"
                + " in the same process before the jobs, for each setting the jobs run with: the"
                + " same texts, in the stage's batch size (`text.batch-size`), on as many threads"
                + " as the stage has subtasks (`text.parallelism`), with the same ONNX Runtime"
                + " threads per call (`text.intra-op-threads`).%n%n",
            flags.items,
            JOB_PARALLELISM,
            JOB_PARALLELISM,
            StreamingSettings.CHECKPOINT_INTERVAL.toSeconds()));
    md.append(
        "| run | items/s, steady | items/s from submission | of the stage alone at the same"
            + " setting | of the fastest stage alone |\n"
            + "|---|---|---|---|---|\n");
    rows.forEach(r -> md.append(r).append('\n'));
    md.append(
        String.format(
            Locale.ROOT,
            "%nTarget (issue 24): text mode keeps >= 90 %% of the embedding stage's own rate."
                + " Best here at text.parallelism %d: %.0f %% of the stage alone at the same"
                + " setting (%s); the fastest"
                + " job reaches %.0f %% of the fastest stage alone (%s). The pass-through over the"
                + " same records runs at least %.0fx faster than the fastest stage alone (from"
                + " submission, startup included: all of its items came in one burst).%n",
            widest,
            100 * best.rate() / best.alone(),
            best.rate() >= 0.9 * best.alone() ? "**met**" : "**missed**",
            100 * fastest / bestAlone,
            fastest >= 0.9 * bestAlone ? "**met**" : "**missed**",
            pass.best() / bestAlone));
    md.append("\n## Reproduce\n\n```bash\nmvn -B -pl benchmarks -am package -DskipTests -Ptext");
    md.append(" -Dtext.args=\"--text-parallelism ")
        .append(String.join(",", flags.textParallelism.stream().map(String::valueOf).toList()))
        .append(" --intra-op-threads ")
        .append(String.join(",", flags.intraOpThreads.stream().map(String::valueOf).toList()))
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
