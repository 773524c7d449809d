package io.quasid.bench.quality;

import java.nio.file.Path;
import java.util.List;

/**
 * Command-line options of {@link QualityBenchmark}; {@code --quick} shrinks every budget for a
 * smoke run whose numbers are not meant to be read.
 */
public record BenchmarkOptions(
    Path dataDir,
    Path outDir,
    boolean quick,
    boolean tune,
    int seeds,
    int threads,
    TokenizerBudget tokenizer,
    RecommenderConfig recommender,
    List<String> publishedVariants) {

  public static final String USAGE =
      String.join(
          "\n",
          "QualityBenchmark [options]",
          "  --data DIR            Beauty data (default: shared/data/beauty found above the working dir)",
          "  --out DIR             where quality.md and the PNGs go (default: benchmarks/results)",
          "  --quick               smoke run: tiny budgets, 1 seed (numbers are not meaningful)",
          "  --tune                only the validation grid over recommender lr x epochs, then exit",
          "  --seeds N             recommender seeds per row (default 3)",
          "  --threads N           recommender runs in parallel (default 2)",
          "  --tokenizer-steps N   optimizer steps per tokenizer variant (default 2000)",
          "  --tokenizer-batch N   rows per step (default 256)",
          "  --tokenizer-lr X      tokenizer Adam learning rate (default 1e-3)",
          "  --levels N            SID levels (default 4, like the published indexes)",
          "  --eval-every N        catalogue collision rate every N steps (default 100)",
          "  --rec-epochs N        recommender epochs (default 3, chosen on validation)",
          "  --rec-lr X            recommender Adam learning rate (default 1e-2, chosen on validation)",
          "  --rec-dim N           code embedding width (default 64)",
          "  --history N           history items per user vector (default 20)");

  public static BenchmarkOptions parse(String[] args) {
    Path data = null;
    Path out = Path.of("benchmarks", "results");
    boolean quick = false;
    boolean tune = false;
    Integer seeds = null;
    int threads = 2;
    Integer steps = null;
    int batch = 256;
    float tokLr = 1e-3f;
    int levels = 4;
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
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--seeds" -> seeds = Integer.parseInt(value(args, ++i, a));
        case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
        case "--tokenizer-steps" -> steps = Integer.parseInt(value(args, ++i, a));
        case "--tokenizer-batch" -> batch = Integer.parseInt(value(args, ++i, a));
        case "--tokenizer-lr" -> tokLr = Float.parseFloat(value(args, ++i, a));
        case "--levels" -> levels = Integer.parseInt(value(args, ++i, a));
        case "--eval-every" -> evalEvery = Integer.parseInt(value(args, ++i, a));
        case "--rec-epochs" -> epochs = Integer.parseInt(value(args, ++i, a));
        case "--rec-lr" -> recLr = Double.parseDouble(value(args, ++i, a));
        case "--rec-dim" -> dim = Integer.parseInt(value(args, ++i, a));
        case "--history" -> history = Integer.parseInt(value(args, ++i, a));
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
      }
    }
    if (data == null) {
      data =
          DataPaths.beauty()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "Beauty data not found; pass --data DIR or -D"
                              + DataPaths.BEAUTY_PROPERTY
                              + "=DIR"));
    }
    int s = seeds != null ? seeds : quick ? 1 : 3;
    if (s < 1 || threads < 1) {
      throw new IllegalArgumentException("--seeds and --threads must be >= 1");
    }
    TokenizerBudget tokenizer =
        new TokenizerBudget(
            steps != null ? steps : quick ? 20 : 2000,
            batch,
            tokLr,
            levels,
            256,
            evalEvery != null ? evalEvery : quick ? 10 : 100,
            42L);
    RecommenderConfig recommender =
        new RecommenderConfig(
            dim, history, 256, epochs != null ? epochs : quick ? 1 : 3, recLr, 0.05);
    return new BenchmarkOptions(
        data,
        out,
        quick,
        tune,
        s,
        threads,
        tokenizer,
        recommender,
        List.of("rqvae_native", "rkmeans_native", "letter_native", "quasid_native"));
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }
}
