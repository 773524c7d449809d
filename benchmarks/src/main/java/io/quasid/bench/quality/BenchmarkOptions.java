package io.quasid.bench.quality;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options of {@link QualityBenchmark}. The defaults are the grid issue 13 asks for
 * (Beauty and Scientific, 3 and 4 levels, 5 tokenizer seeds x 3 recommender seeds, 5 % cold-start
 * items, 1000 bootstrap resamples); {@code --quick} shrinks every budget for a smoke run whose
 * numbers are not meant to be read.
 *
 * @param dataDir Beauty data ({@code null} when Beauty is not run and none was found)
 * @param scientificDir Scientific data ({@code null} when Scientific is not run and none was found)
 * @param settings {@code dataset:levels} pairs to run, in order; by default every dataset at every
 *     level count
 * @param seeds recommender seeds per tokenizer
 * @param tokenizerSeeds independent tokenizer trainings per variant (seeds 42, 43, ...)
 * @param tokenizer the tokenizer budget; its levels are the first of {@code levels}
 * @param coldStart share of items held out of training as cold-start items (0: none)
 * @param bootstrap resamples of the paired bootstrap
 */
public record BenchmarkOptions(
    Path dataDir,
    Path scientificDir,
    Path outDir,
    boolean quick,
    boolean tune,
    List<String> datasets,
    List<Integer> levels,
    List<String> settings,
    int seeds,
    int tokenizerSeeds,
    int threads,
    double coldStart,
    int bootstrap,
    List<TokenizerVariant> variants,
    TokenizerBudget tokenizer,
    RecommenderConfig recommender,
    List<String> publishedVariants) {

  public static final String BEAUTY = "beauty";
  public static final String SCIENTIFIC = "scientific";

  public static final String USAGE =
      String.join(
          "\n",
          "QualityBenchmark [options]",
          "  --data DIR            Beauty data (default: shared/data/beauty found above the working dir)",
          "  --scientific-data DIR Scientific data (default: shared/data/scientific, found likewise)",
          "  --out DIR             where quality.md and the PNGs go (default: benchmarks/results)",
          "  --quick               smoke run: tiny budgets, 2 tokenizer x 1 recommender seed",
          "  --tune                only the validation grid over recommender lr x epochs, then exit",
          "  --datasets LIST       beauty,scientific (default both)",
          "  --levels LIST         SID levels per setting, e.g. 3,4 (default 3,4)",
          "  --settings LIST       explicit dataset:levels pairs instead, e.g. beauty:3,scientific:4",
          "  --tokenizer-seeds N   tokenizer trainings per variant, seeds 42.. (default 5)",
          "  --seeds N             recommender seeds per tokenizer (default 3)",
          "  --cold-start F        share of items held out as cold-start items (default 0.05; 0 = off)",
          "  --bootstrap N         paired bootstrap resamples (default 1000)",
          "  --variants LIST       tokenizer rows (default: "
              + keys(TokenizerVariant.DEFAULT)
              + ")",
          "                        of " + TokenizerVariant.keys(),
          "  --threads N           tokenizer and recommender runs in parallel (default 2)",
          "  --tokenizer-steps N   optimizer steps per tokenizer variant (default 2000)",
          "  --tokenizer-batch N   rows per step (default 256)",
          "  --tokenizer-lr X      tokenizer Adam learning rate (default 1e-3)",
          "  --eval-every N        catalogue collision rate every N steps (default 100)",
          "  --rec-epochs N        recommender epochs (default 3, chosen on validation)",
          "  --rec-lr X            recommender Adam learning rate (default 1e-2, chosen on validation)",
          "  --rec-dim N           code embedding width (default 64)",
          "  --history N           history items per user vector (default 20)");

  public static BenchmarkOptions parse(String[] args) {
    Path data = null;
    Path scientific = null;
    Path out = Path.of("benchmarks", "results");
    boolean quick = false;
    boolean tune = false;
    List<String> datasets = List.of(BEAUTY, SCIENTIFIC);
    List<Integer> levels = List.of(3, 4);
    List<String> settings = null;
    Integer seeds = null;
    Integer tokenizerSeeds = null;
    int threads = 2;
    double coldStart = 0.05;
    Integer bootstrap = null;
    List<TokenizerVariant> variants = TokenizerVariant.DEFAULT;
    Integer steps = null;
    int batch = 256;
    float tokLr = 1e-3f;
    Integer evalEvery = null;
    Integer epochs = null;
    double recLr = 1e-2;
    int dim = 64;
    int history = 20;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> quick = true;
        case "--tune" -> tune = true;
        case "--data" -> data = Path.of(value(args, ++i, a));
        case "--scientific-data" -> scientific = Path.of(value(args, ++i, a));
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--datasets" -> datasets = list(value(args, ++i, a));
        case "--levels" ->
            levels = list(value(args, ++i, a)).stream().map(Integer::parseInt).toList();
        case "--settings" -> settings = list(value(args, ++i, a));
        case "--seeds" -> seeds = Integer.parseInt(value(args, ++i, a));
        case "--tokenizer-seeds" -> tokenizerSeeds = Integer.parseInt(value(args, ++i, a));
        case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
        case "--cold-start" -> coldStart = Double.parseDouble(value(args, ++i, a));
        case "--bootstrap" -> bootstrap = Integer.parseInt(value(args, ++i, a));
        case "--variants" ->
            variants = list(value(args, ++i, a)).stream().map(TokenizerVariant::byKey).toList();
        case "--tokenizer-steps" -> steps = Integer.parseInt(value(args, ++i, a));
        case "--tokenizer-batch" -> batch = Integer.parseInt(value(args, ++i, a));
        case "--tokenizer-lr" -> tokLr = Float.parseFloat(value(args, ++i, a));
        case "--eval-every" -> evalEvery = Integer.parseInt(value(args, ++i, a));
        case "--rec-epochs" -> epochs = Integer.parseInt(value(args, ++i, a));
        case "--rec-lr" -> recLr = Double.parseDouble(value(args, ++i, a));
        case "--rec-dim" -> dim = Integer.parseInt(value(args, ++i, a));
        case "--history" -> history = Integer.parseInt(value(args, ++i, a));
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
      }
    }
    if (settings != null) {
      List<String> ds = new ArrayList<>();
      List<Integer> ls = new ArrayList<>();
      for (String setting : settings) {
        String[] parts = setting.split(":");
        if (parts.length != 2) {
          throw new IllegalArgumentException("--settings takes dataset:levels, not " + setting);
        }
        if (!ds.contains(parts[0])) {
          ds.add(parts[0]);
        }
        int l = Integer.parseInt(parts[1]);
        if (!ls.contains(l)) {
          ls.add(l);
        }
      }
      datasets = ds;
      levels = ls;
    } else {
      List<String> all = new ArrayList<>();
      for (String d : datasets) {
        for (int l : levels) {
          all.add(d + ":" + l);
        }
      }
      settings = all;
    }
    for (String d : datasets) {
      if (!d.equals(BEAUTY) && !d.equals(SCIENTIFIC)) {
        throw new IllegalArgumentException("unknown dataset " + d + "; beauty or scientific");
      }
    }
    if (datasets.isEmpty() || levels.isEmpty() || variants.isEmpty()) {
      throw new IllegalArgumentException("--datasets, --levels and --variants must not be empty");
    }
    if (levels.stream().anyMatch(l -> l < 1 || l > 4)) {
      throw new IllegalArgumentException("--levels must be in 1..4 (the published indexes have 4)");
    }
    if (!variants.contains(TokenizerVariant.RQ_VAE)) {
      throw new IllegalArgumentException("--variants must include rq-vae, the baseline of the CIs");
    }
    if (tune || datasets.contains(BEAUTY)) {
      if (data == null) {
        data =
            DataPaths.beauty()
                .orElseThrow(() -> notFound("Beauty", "--data", DataPaths.BEAUTY_PROPERTY));
      }
    }
    if (scientific == null) {
      // Resolved here when present; a run that needs it and finds none fails when it loads it.
      scientific = DataPaths.scientific().orElse(null);
    }
    int s = seeds != null ? seeds : quick ? 1 : 3;
    int ts = tokenizerSeeds != null ? tokenizerSeeds : quick ? 2 : 5;
    int b = bootstrap != null ? bootstrap : quick ? 100 : 1000;
    if (s < 1 || ts < 1 || threads < 1) {
      throw new IllegalArgumentException("--seeds, --tokenizer-seeds and --threads must be >= 1");
    }
    if (!(coldStart >= 0 && coldStart < 0.5)) {
      throw new IllegalArgumentException("--cold-start must be in [0, 0.5)");
    }
    if (b < 10) {
      throw new IllegalArgumentException("--bootstrap must be >= 10");
    }
    TokenizerBudget tokenizer =
        new TokenizerBudget(
            steps != null ? steps : quick ? 20 : 2000,
            batch,
            tokLr,
            levels.get(0),
            256,
            evalEvery != null ? evalEvery : quick ? 10 : 100,
            42L);
    RecommenderConfig recommender =
        new RecommenderConfig(
            dim, history, 256, epochs != null ? epochs : quick ? 1 : 3, recLr, 0.05);
    return new BenchmarkOptions(
        data,
        scientific,
        out,
        quick,
        tune,
        List.copyOf(datasets),
        List.copyOf(levels),
        List.copyOf(settings),
        s,
        ts,
        threads,
        coldStart,
        b,
        List.copyOf(variants),
        tokenizer,
        recommender,
        List.of("rqvae_native", "rkmeans_native", "letter_native", "quasid_native"));
  }

  /** The tokenizer budget at {@code levels} levels. */
  public TokenizerBudget tokenizer(int levels) {
    TokenizerBudget t = tokenizer;
    return new TokenizerBudget(
        t.steps(),
        t.batchSize(),
        t.learningRate(),
        levels,
        t.codebookSize(),
        t.evalEvery(),
        t.seed());
  }

  /** The level counts to run on {@code dataset}, in order. */
  public List<Integer> levelsFor(String dataset) {
    return settings.stream()
        .filter(x -> x.startsWith(dataset + ":"))
        .map(x -> Integer.parseInt(x.substring(dataset.length() + 1)))
        .toList();
  }

  /** The flags that reproduce this run, for the report. */
  public String describe() {
    List<String> f = new ArrayList<>();
    if (quick) {
      f.add("--quick");
    }
    List<String> cross = new ArrayList<>();
    for (String d : datasets) {
      for (int l : levels) {
        cross.add(d + ":" + l);
      }
    }
    if (cross.equals(settings)) {
      f.add("--datasets " + String.join(",", datasets));
      f.add("--levels " + String.join(",", levels.stream().map(String::valueOf).toList()));
    } else {
      f.add("--settings " + String.join(",", settings));
    }
    f.add("--tokenizer-seeds " + tokenizerSeeds);
    f.add("--seeds " + seeds);
    f.add("--cold-start " + coldStart);
    f.add("--bootstrap " + bootstrap);
    f.add("--threads " + threads);
    if (!variants.equals(TokenizerVariant.DEFAULT)) {
      f.add("--variants " + keys(variants));
    }
    return String.join(" ", f);
  }

  private static String keys(List<TokenizerVariant> variants) {
    return String.join(",", variants.stream().map(TokenizerVariant::key).toList());
  }

  private static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
  }

  private static IllegalArgumentException notFound(String name, String flag, String property) {
    return new IllegalArgumentException(
        name + " data not found; pass " + flag + " DIR or -D" + property + "=DIR");
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }
}
