package io.quasid.bench.quality;

import io.quasid.bench.BenchmarkCommandLine;
import io.quasid.bench.quality.generative.GenerativeRun;
import io.quasid.bench.quality.generative.GenerativeTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The quality benchmark of issues 5 and 13: tokenizer variants through model-bridge (several
 * tokenizer seeds) and the published SIDs, per dataset and SID depth, scored by catalogue SID
 * metrics and by a fixed SID-only recommender (leave-one-out with cold-start items, full ranking,
 * several recommender seeds, a sum-of-codes and a prefix-aware scorer), with paired bootstrap
 * intervals against plain RQ-VAE, cost, curves and a Markdown report.
 */
public final class QualityBenchmark {

  private static final String TUNE_REFERENCE = "rkmeans_native";
  private static final double[] TUNE_LEARNING_RATES = {3e-3, 1e-2, 3e-2};
  private static final int TUNE_MAX_EPOCHS = 3;

  private final BenchmarkOptions options;
  private final PrintStream out;

  public QualityBenchmark(BenchmarkOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Optional<BenchmarkOptions> options = BenchmarkCommandLine.parseOrExit(new QualityFlags(), args);
    if (options.isPresent()) {
      new QualityBenchmark(options.get(), System.out).run();
    }
  }

  public void run() throws IOException, InterruptedException, ExecutionException {
    long start = System.nanoTime();
    Files.createDirectories(options.outDir());
    if (options.tune()) {
      CatalogueData data = BeautyDataset.load(options.dataDir());
      tune(data, LeaveOneOutSplit.of(data.sequences()));
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(options.threads());
    try {
      List<PendingSetting> pending = new ArrayList<>();
      for (String dataset : options.datasets()) {
        CatalogueData data = load(dataset);
        ColdStartSplit split =
            ColdStartSplit.of(data.sequences(), data.numItems(), options.coldStart(), COLD_SEED);
        RecommenderTrainer recommender =
            new RecommenderTrainer(
                split.split(),
                options.coldStart() > 0 ? split.cold() : null,
                options.recommender());
        GenerativeTrainer generative =
            new GenerativeTrainer(split.split(), options.generative(), COLD_SEED);
        int[][] pairs = options.tokenizer().recipe().pairSource().pairs(split.split());
        out.printf(
            "%s: %d items (%d cold-start), %d users (%d with a cold test target), %d interactions;"
                + " %d next-item training examples, %d collaborative pairs%n",
            dataset,
            data.numItems(),
            split.coldItems(),
            data.numUsers(),
            count(split.coldTestUsers()),
            data.numInteractions(),
            recommender.examplesPerEpoch(),
            pairs.length);
        if (options.recommenders().generative()) {
          out.printf(
              "%s generative recommender: %d of %d users, %d target items per epoch%n",
              dataset,
              generative.users().length,
              split.split().numUsers(),
              generative.examplesPerEpoch());
        }
        for (int levels : options.levelsFor(dataset)) {
          pending.add(
              schedule(
                  pool,
                  dataset,
                  levels,
                  data,
                  split,
                  new Recommenders(recommender, generative),
                  pairs));
        }
      }
      List<SettingResult> settings = new ArrayList<>();
      for (PendingSetting p : pending) {
        settings.add(p.collect());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      new QualityReport(options, settings, seconds).write();
      out.printf(
          "Done in %s; report in %s%n",
          Progress.duration(seconds),
          options.outDir().resolve(QualityReport.REPORT_FILE).toAbsolutePath());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Fixed split seed: every row, seed and setting of one dataset sees the same cold items. */
  static final long COLD_SEED = 2026L;

  private CatalogueData load(String dataset) throws IOException {
    if (dataset.equals(BenchmarkOptions.BEAUTY)) {
      return BeautyDataset.load(options.dataDir());
    }
    if (options.scientificDir() == null) {
      throw new IllegalArgumentException(
          "Scientific data not found; pass --scientific-data DIR or -D"
              + DataPaths.SCIENTIFIC_PROPERTY
              + "=DIR (or --datasets beauty)");
    }
    return ScientificDataset.load(
        options.scientificDir(),
        COLD_SEED,
        dataset.equals(BenchmarkOptions.SCIENTIFIC_SENTENCE)
            ? ScientificDataset.Features.SENTENCE
            : ScientificDataset.Features.TFIDF_SVD,
        out);
  }

  private static int count(boolean[] b) {
    int n = 0;
    for (boolean x : b) {
      n += x ? 1 : 0;
    }
    return n;
  }

  /** The recommenders that score a dataset's SIDs, on its split. */
  private record Recommenders(RecommenderTrainer proxy, GenerativeTrainer generative) {}

  /** Rows of one setting whose tokenizer and recommender runs are queued on {@code pool}. */
  private record PendingRow(
      String name,
      String source,
      TokenizerVariant variant,
      List<Future<TokenizerOutcome>> tokenizers,
      List<int[][]> fixedCodes,
      List<List<Future<RecommenderRun>>> runs,
      List<Future<GenerativeRun>> generative) {

    SidRow collect() throws InterruptedException, ExecutionException {
      List<TokenizerOutcome> outcomes = new ArrayList<>();
      List<int[][]> codes = new ArrayList<>(fixedCodes);
      for (Future<TokenizerOutcome> f : tokenizers) {
        TokenizerOutcome o = f.get();
        outcomes.add(o);
        codes.add(o.codes());
      }
      List<List<RecommenderRun>> done = new ArrayList<>();
      for (List<Future<RecommenderRun>> seedRuns : runs) {
        List<RecommenderRun> list = new ArrayList<>();
        for (Future<RecommenderRun> f : seedRuns) {
          list.add(f.get());
        }
        done.add(List.copyOf(list));
      }
      List<GenerativeRun> decoded = new ArrayList<>();
      for (Future<GenerativeRun> f : generative) {
        decoded.add(f.get());
      }
      return new SidRow(
          name,
          source,
          variant,
          List.copyOf(outcomes),
          List.copyOf(codes),
          done,
          List.copyOf(decoded));
    }
  }

  private record PendingSetting(
      String dataset,
      int levels,
      CatalogueData data,
      ColdStartSplit split,
      long examples,
      List<PendingRow> rows) {

    SettingResult collect() throws InterruptedException, ExecutionException {
      List<SidRow> done = new ArrayList<>();
      for (PendingRow r : rows) {
        done.add(r.collect());
      }
      return new SettingResult(dataset, levels, data, split, examples, List.copyOf(done));
    }
  }

  private PendingSetting schedule(
      ExecutorService pool,
      String dataset,
      int levels,
      CatalogueData data,
      ColdStartSplit split,
      Recommenders recommenders,
      int[][] pairs)
      throws IOException {
    String setting = dataset + " L" + levels;
    RecommenderChoice choice = options.recommenders();
    int sids =
        options.publishedVariants().size() + options.variants().size() * options.tokenizerSeeds();
    Progress progress = new Progress(out, "recommender " + setting, (long) sids * options.seeds());
    Progress generativeProgress = new Progress(out, "generative " + setting, sids);
    int[] done = {0};
    int[] generativeDone = {0};
    List<PendingRow> rows = new ArrayList<>();
    String indexFile =
        dataset.equals(BenchmarkOptions.BEAUTY) ? PublishedIndex.FILE : "Scientific.index.json";
    Path dir =
        dataset.equals(BenchmarkOptions.BEAUTY) ? options.dataDir() : options.scientificDir();
    for (String variant : options.publishedVariants()) {
      int[][] codes =
          PublishedIndex.truncate(
              PublishedIndex.load(dir, indexFile, variant, data.numItems()), levels);
      String name = "published " + variant;
      List<Future<RecommenderRun>> seedRuns = new ArrayList<>();
      for (int s = 1; choice.proxy() && s <= options.seeds(); s++) {
        seedRuns.add(pool.submit(recommend(recommenders.proxy(), codes, s, name, progress, done)));
      }
      List<Future<GenerativeRun>> generative = new ArrayList<>();
      if (choice.generative()) {
        generative.add(
            pool.submit(
                generate(
                    recommenders.generative(), codes, name, generativeProgress, generativeDone)));
      }
      rows.add(
          new PendingRow(
              name,
              "indexes/" + variant + " (first " + levels + " levels)",
              null,
              List.of(),
              List.<int[][]>of(codes),
              List.of(seedRuns),
              generative));
    }
    TokenizerTrainer tokenizers = new TokenizerTrainer(data, pairs, options.tokenizer(levels), out);
    for (TokenizerVariant variant : options.variants()) {
      List<Future<TokenizerOutcome>> outcomes = new ArrayList<>();
      List<List<Future<RecommenderRun>>> runs = new ArrayList<>();
      List<Future<GenerativeRun>> generative = new ArrayList<>();
      for (int t = 0; t < options.tokenizerSeeds(); t++) {
        long seed = options.tokenizer().seed() + t;
        CompletableFuture<TokenizerOutcome> outcome =
            CompletableFuture.supplyAsync(
                () -> {
                  TokenizerOutcome o = tokenizers.run(variant, seed);
                  out.printf(
                      "[tokenizer %s %s seed %d] done in %s, collision rate %.4f%n",
                      setting,
                      variant.label(),
                      seed,
                      Progress.duration(o.trainSeconds()),
                      SidMetrics.of(o.codes(), 256).collisionRate());
                  return o;
                },
                pool);
        outcomes.add(outcome);
        String name = variant.label() + " tok " + seed;
        List<Future<RecommenderRun>> seedRuns = new ArrayList<>();
        for (int s = 1; choice.proxy() && s <= options.seeds(); s++) {
          long recSeed = s;
          seedRuns.add(
              outcome.thenApplyAsync(
                  o ->
                      call(
                          recommend(
                              recommenders.proxy(), o.codes(), recSeed, name, progress, done)),
                  pool));
        }
        runs.add(seedRuns);
        if (choice.generative()) {
          generative.add(
              outcome.thenApplyAsync(
                  o ->
                      call(
                          generate(
                              recommenders.generative(),
                              o.codes(),
                              name,
                              generativeProgress,
                              generativeDone)),
                  pool));
        }
      }
      rows.add(
          new PendingRow(
              variant.label(), "model-bridge", variant, outcomes, List.of(), runs, generative));
    }
    return new PendingSetting(
        dataset, levels, data, split, recommenders.proxy().examplesPerEpoch(), List.copyOf(rows));
  }

  private static <T> T call(Callable<T> task) {
    try {
      return task.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One generative recommender run (seed 1) on {@code codes}: training, then test decoding. */
  private Callable<GenerativeRun> generate(
      GenerativeTrainer trainer, int[][] codes, String name, Progress progress, int[] done) {
    return () -> {
      GenerativeRun run =
          trainer.run(codes, 256, 1, line -> out.printf("[generative %s] %s%n", name, line));
      synchronized (done) {
        progress.report(
            ++done[0],
            String.format(
                "%s: test NDCG@10 %.4f, Recall@10 %.4f (train %s, decode %s)",
                name,
                run.test().ndcg10(),
                run.test().recall10(),
                Progress.duration(run.trainSeconds()),
                Progress.duration(run.decodeSeconds())));
      }
      return run;
    };
  }

  private Callable<RecommenderRun> recommend(
      RecommenderTrainer trainer,
      int[][] codes,
      long seed,
      String name,
      Progress progress,
      int[] done) {
    return () -> {
      RecommenderRun run = trainer.train(codes, 256, seed, false);
      synchronized (done) {
        progress.report(
            ++done[0],
            String.format(
                "%s rec seed %d: val NDCG@10 %.4f, test NDCG@10 %.4f (%s)",
                name,
                seed,
                run.validation().ndcg10(),
                run.test().ndcg10(),
                Progress.duration(run.seconds())));
      }
      return run;
    };
  }

  /** Validation-only grid over recommender lr x epochs on one published reference index. */
  private void tune(CatalogueData data, LeaveOneOutSplit split)
      throws IOException, InterruptedException, ExecutionException {
    int[][] codes = PublishedIndex.load(options.dataDir(), TUNE_REFERENCE, data.numItems());
    ExecutorService pool = Executors.newFixedThreadPool(options.threads());
    Progress progress = new Progress(out, "tune", TUNE_LEARNING_RATES.length);
    try {
      List<Future<RecommenderRun>> futures = new ArrayList<>();
      for (double lr : TUNE_LEARNING_RATES) {
        RecommenderTrainer trainer =
            new RecommenderTrainer(
                split, options.recommender().withLearningRate(lr).withEpochs(TUNE_MAX_EPOCHS));
        futures.add(pool.submit(() -> trainer.train(codes, 256, 1, true)));
      }
      StringBuilder md =
          new StringBuilder("# Recommender hyper-parameters, chosen on validation\n\n")
              .append("Reference SIDs: published `")
              .append(TUNE_REFERENCE)
              .append("`, seed 1, ")
              .append("validation split only (test is not looked at).\n\n")
              .append("| lr | epoch | val Recall@10 | val NDCG@10 |\n|---|---|---|---|\n");
      for (int i = 0; i < futures.size(); i++) {
        RecommenderRun run = futures.get(i).get();
        progress.report(i + 1, "lr " + TUNE_LEARNING_RATES[i]);
        for (int e = 0; e < run.validationByEpoch().size(); e++) {
          RankingSummary v = run.validationByEpoch().get(e);
          md.append(
              String.format(
                  "| %g | %d | %.4f | %.4f |%n",
                  TUNE_LEARNING_RATES[i], e + 1, v.recall10(), v.ndcg10()));
        }
      }
      Files.writeString(options.outDir().resolve("quality-tuning.md"), md);
      out.print(md);
    } finally {
      pool.shutdownNow();
    }
  }
}
