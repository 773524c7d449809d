package io.quasid.bench.quality;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The quality benchmark of issue 5: tokenizer variants through model-bridge and the published SIDs,
 * scored by catalogue SID metrics and by a fixed SID-only recommender (leave-one-out, full ranking,
 * several seeds), with cost, curves and a Markdown report.
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
    BenchmarkOptions options;
    try {
      options = BenchmarkOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    new QualityBenchmark(options, System.out).run();
  }

  public void run() throws IOException, InterruptedException, ExecutionException {
    long start = System.nanoTime();
    BeautyDataset data = BeautyDataset.load(options.dataDir());
    LeaveOneOutSplit split = LeaveOneOutSplit.of(data.sequences());
    RecommenderTrainer recommender = new RecommenderTrainer(split, options.recommender());
    out.printf(
        "Beauty: %d items, %d users, %d interactions; %d next-item training examples%n",
        data.numItems(), data.numUsers(), data.numInteractions(), recommender.examplesPerEpoch());
    Files.createDirectories(options.outDir());
    if (options.tune()) {
      tune(data, split);
      return;
    }

    List<String> names = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<int[][]> codes = new ArrayList<>();
    List<TokenizerOutcome> outcomes = new ArrayList<>();
    for (String variant : options.publishedVariants()) {
      names.add("published " + variant);
      sources.add("indexes/" + variant);
      codes.add(PublishedIndex.load(options.dataDir(), variant, data.numItems()));
      outcomes.add(null);
    }
    TokenizerTrainer tokenizers =
        new TokenizerTrainer(
            data, TokenizerBatches.collaborativePairs(split), options.tokenizer(), out);
    for (TokenizerVariant variant : TokenizerVariant.values()) {
      TokenizerOutcome outcome = tokenizers.run(variant);
      names.add(variant.label());
      sources.add("model-bridge");
      codes.add(outcome.codes());
      outcomes.add(outcome);
      out.printf(
          "[tokenizer %s] done in %s, collision rate %.4f%n",
          variant.label(),
          Progress.duration(outcome.trainSeconds()),
          SidMetrics.of(outcome.codes(), options.tokenizer().codebookSize()).collisionRate());
    }

    List<List<RecommenderRun>> runs = recommend(recommender, names, codes);
    List<SidRow> rows = new ArrayList<>();
    for (int r = 0; r < names.size(); r++) {
      rows.add(
          new SidRow(
              names.get(r),
              sources.get(r),
              SidMetrics.of(codes.get(r), 256),
              outcomes.get(r),
              runs.get(r)));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    QualityReport report =
        new QualityReport(options, data, split, recommender, rows, codes, seconds);
    report.write();
    out.printf(
        "Done in %s; report in %s%n",
        Progress.duration(seconds),
        options.outDir().resolve(QualityReport.REPORT_FILE).toAbsolutePath());
  }

  /** Every row x seed on a fixed pool; each run is single-threaded and deterministic per seed. */
  private List<List<RecommenderRun>> recommend(
      RecommenderTrainer trainer, List<String> names, List<int[][]> codes)
      throws InterruptedException, ExecutionException {
    int total = names.size() * options.seeds();
    Progress progress = new Progress(out, "recommender", total);
    ExecutorService pool = Executors.newFixedThreadPool(options.threads());
    try {
      List<List<Future<RecommenderRun>>> futures = new ArrayList<>();
      int[] done = {0};
      for (int r = 0; r < names.size(); r++) {
        List<Future<RecommenderRun>> row = new ArrayList<>();
        for (int s = 1; s <= options.seeds(); s++) {
          String name = names.get(r);
          int[][] rowCodes = codes.get(r);
          long seed = s;
          row.add(
              pool.submit(
                  () -> {
                    RecommenderRun run = trainer.train(rowCodes, 256, seed, false);
                    synchronized (done) {
                      progress.report(
                          ++done[0],
                          String.format(
                              "%s seed %d: val NDCG@10 %.4f, test NDCG@10 %.4f (%s)",
                              name,
                              seed,
                              run.validation().ndcg10(),
                              run.test().ndcg10(),
                              Progress.duration(run.seconds())));
                    }
                    return run;
                  }));
        }
        futures.add(row);
      }
      List<List<RecommenderRun>> results = new ArrayList<>();
      for (List<Future<RecommenderRun>> row : futures) {
        List<RecommenderRun> list = new ArrayList<>();
        for (Future<RecommenderRun> f : row) {
          list.add(f.get());
        }
        results.add(List.copyOf(list));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Validation-only grid over recommender lr x epochs on one published reference index. */
  private void tune(BeautyDataset data, LeaveOneOutSplit split)
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
