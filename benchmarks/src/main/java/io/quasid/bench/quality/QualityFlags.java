package io.quasid.bench.quality;

import static io.quasid.bench.BenchmarkFlags.require;

import io.quasid.bench.BenchmarkFlags;
import io.quasid.bench.quality.generative.GenerativeConfig;
import io.quasid.model.QuasidConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The flags of {@link QualityBenchmark}, and the {@link BenchmarkOptions} they make. The defaults
 * are the grid issue 13 asks for; {@code --quick} shrinks every budget a flag does not set.
 */
@Command(
    name = "QualityBenchmark",
    sortOptions = false,
    description = {
      "Tokenizer variants (several tokenizer seeds) and the published SIDs, per dataset and SID"
          + " depth, scored by catalogue SID metrics and a fixed SID-only recommender, with paired"
          + " bootstrap intervals against plain RQ-VAE; writes quality.md and its PNGs.",
      "The defaults are the full grid of issue 13 (Beauty and Scientific, 3 and 4 levels, 5"
          + " tokenizer seeds x 3 recommender seeds, 5%% cold-start items, 1000 bootstrap"
          + " resamples); --quick is a smoke run whose numbers are not meant to be read."
    })
final class QualityFlags implements BenchmarkFlags<BenchmarkOptions> {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Beauty data (default: shared/data/beauty found above the working dir, or"
              + " -D"
              + DataPaths.BEAUTY_PROPERTY
              + ").")
  Path data;

  @Option(
      names = "--scientific-data",
      paramLabel = "DIR",
      description =
          "Scientific data (default: shared/data/scientific, found likewise, or"
              + " -D"
              + DataPaths.SCIENTIFIC_PROPERTY
              + ").")
  Path scientific;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where quality.md and the PNGs go (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("benchmarks", "results");

  @Option(
      names = "--quick",
      description = "Smoke run: tiny budgets, 2 tokenizer x 1 recommender seed.")
  boolean quick;

  @Option(
      names = "--tune",
      description = "Only the validation grid over recommender lr x epochs, then exit.")
  boolean tune;

  @Option(
      names = "--datasets",
      paramLabel = "LIST",
      description =
          "Datasets, comma-separated, of beauty, scientific (TF-IDF + SVD features),"
              + " scientific-minilm (the job's sentence encoder, 384-d, cached beside the data on"
              + " first use) (default: ${DEFAULT-VALUE}).")
  String datasets = BenchmarkOptions.BEAUTY + "," + BenchmarkOptions.SCIENTIFIC;

  @Option(
      names = "--levels",
      paramLabel = "LIST",
      description = "SID levels per setting, e.g. 3,4 (default: ${DEFAULT-VALUE}).")
  String levels = "3,4";

  @Option(
      names = "--settings",
      paramLabel = "LIST",
      description =
          "Explicit dataset:levels pairs instead of --datasets x --levels, e.g."
              + " beauty:3,scientific:4.")
  String settings;

  @Option(
      names = "--tokenizer-seeds",
      paramLabel = "N",
      description = "Tokenizer trainings per variant, seeds 42.. (default: 5; 2 with --quick).")
  Integer tokenizerSeeds;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      description = "Recommender seeds per tokenizer (default: 3; 1 with --quick).")
  Integer seeds;

  @Option(
      names = "--cold-start",
      paramLabel = "F",
      description =
          "Share of items held out as cold-start items, in [0, 0.5) (default: ${DEFAULT-VALUE};"
              + " 0 = off).")
  double coldStart = 0.05;

  @Option(
      names = "--bootstrap",
      paramLabel = "N",
      description = "Paired bootstrap resamples, >= 10 (default: 1000; 100 with --quick).")
  Integer bootstrap;

  @Option(
      names = "--variants",
      paramLabel = "LIST",
      completionCandidates = VariantKeys.class,
      description =
          "Tokenizer rows, comma-separated, including rq-vae, of ${COMPLETION-CANDIDATES}"
              + " (default: ${DEFAULT-VALUE}).")
  String variants = keys(TokenizerVariant.DEFAULT);

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Tokenizer and recommender runs in parallel (default: ${DEFAULT-VALUE}).")
  int threads = 2;

  @Option(
      names = "--tokenizer-steps",
      paramLabel = "N",
      description = "Optimizer steps per tokenizer variant (default: 2000; 20 with --quick).")
  Integer tokenizerSteps;

  @Option(
      names = "--tokenizer-batch",
      paramLabel = "N",
      description = "Rows per tokenizer step (default: ${DEFAULT-VALUE}).")
  int tokenizerBatch = 256;

  @Option(
      names = "--tokenizer-lr",
      paramLabel = "X",
      description = "Tokenizer Adam learning rate (default: 1e-3).")
  float tokenizerLr = 1e-3f;

  @Option(
      names = "--loss-scale",
      paramLabel = "S",
      description =
          "Tokenizer loss reduction: row-sum (per row summed over dimensions, levels summed; the"
              + " job's) or element-mean (mean over rows and dimensions, levels averaged, as the"
              + " reference implementations) (default: row-sum).")
  String lossScale = "row-sum";

  @Option(
      names = "--detach-deep-residuals",
      description =
          "Only level 1's commitment reaches the tokenizer's encoder (r_{l+1} = sg(r_l - q_l)),"
              + " as the reference implementations in effect.")
  boolean detachDeepResiduals;

  @Option(
      names = "--tokenizer-codebook-lr",
      paramLabel = "X",
      description = "Codebook Adam learning rate (default: 1e-2, ten times the encoder's).")
  float codebookLr = TokenizerRecipe.DEFAULT.codebookLearningRate();

  @Option(
      names = "--dead-code-steps",
      paramLabel = "N",
      description = "Re-seed a code unused for N steps; 0 = never (default: 200).")
  int deadCodeSteps = TokenizerRecipe.DEFAULT.deadCodeSteps();

  @Option(
      names = "--checkpoint",
      paramLabel = "RULE",
      description =
          "Which codes a tokenizer training hands on: last (the last step's) or min-collision"
              + " (the --eval-every point with the lowest catalogue collision rate, step 0"
              + " excluded, the published indexes' rule) (default: last).")
  String checkpoint = "last";

  @Option(
      names = "--contrastive-negatives",
      paramLabel = "N",
      description =
          "What a collaborative pair is contrasted against: pairs (the batch's other pairs, the"
              + " method as written) or batch (every other item of the batch) (default: pairs).")
  String contrastiveNegatives = "pairs";

  @Option(
      names = "--pairs",
      paramLabel = "S",
      description =
          "Which collaborative pairs the batches carry: adjacent (consecutive distinct items of a"
              + " training prefix, the job's) or ppmi (each item's highest-PPMI partner within 3"
              + " positions, the reference implementation's) or mixed (half each) (default:"
              + " adjacent).")
  String pairSource = "adjacent";

  @Option(
      names = "--eval-every",
      paramLabel = "N",
      description = "Catalogue collision rate every N steps (default: 100; 10 with --quick).")
  Integer evalEvery;

  @Option(
      names = "--rec-epochs",
      paramLabel = "N",
      description = "Recommender epochs (default: 3, chosen on validation; 1 with --quick).")
  Integer recEpochs;

  @Option(
      names = "--rec-lr",
      paramLabel = "X",
      description = "Recommender Adam learning rate (default: 1e-2, chosen on validation).")
  double recLr = 1e-2;

  @Option(
      names = "--rec-dim",
      paramLabel = "N",
      description = "Code embedding width (default: ${DEFAULT-VALUE}).")
  int recDim = 64;

  @Option(
      names = "--history",
      paramLabel = "N",
      description = "History items per user vector (default: ${DEFAULT-VALUE}).")
  int history = 20;

  @Option(
      names = "--recommender",
      paramLabel = "WHICH",
      description =
          "proxy (the SID-only proxy recommender), generative (a small transformer that decodes"
              + " the next item's SID with trie-constrained beam search) or both"
              + " (default: ${DEFAULT-VALUE}).")
  String recommender = RecommenderChoice.PROXY.key();

  @Option(
      names = "--gen-epochs",
      paramLabel = "N",
      description = "Generative recommender epochs (default: 3; 1 with --quick).")
  Integer genEpochs;

  @Option(
      names = "--gen-batch",
      paramLabel = "N",
      description = "Training windows per generative Adam step (default: ${DEFAULT-VALUE}).")
  int genBatch = 128;

  @Option(
      names = "--gen-history",
      paramLabel = "N",
      description = "History items the generative recommender reads (default: ${DEFAULT-VALUE}).")
  int genHistory = 20;

  @Option(
      names = "--gen-beam",
      paramLabel = "N",
      description = "Beam width of the generative decoding, >= 10 (default: ${DEFAULT-VALUE}).")
  int genBeam = 20;

  @Option(
      names = "--gen-lr",
      paramLabel = "X",
      description = "Generative recommender Adam learning rate (default: ${DEFAULT-VALUE}).")
  double genLr = 1e-3;

  @Option(
      names = "--gen-users",
      paramLabel = "N",
      description =
          "Users (a seeded sample) the generative recommender trains on and is tested on; 0 for"
              + " all (default: 0; 256 with --quick).")
  Integer genUsers;

  @Override
  public BenchmarkOptions settings() {
    List<String> ds = list(datasets);
    List<Integer> ls = ints("--levels", levels);
    List<String> pairs;
    String datasetFlag;
    if (settings != null) {
      datasetFlag = "--settings";
      ds = new ArrayList<>();
      ls = new ArrayList<>();
      pairs = list(settings);
      for (String setting : pairs) {
        String[] parts = setting.split(":");
        require(
            parts.length == 2 && isInt(parts[1]),
            "--settings takes dataset:levels, not " + setting);
        if (!ds.contains(parts[0])) {
          ds.add(parts[0]);
        }
        int l = Integer.parseInt(parts[1]);
        if (!ls.contains(l)) {
          ls.add(l);
        }
      }
    } else {
      datasetFlag = "--datasets";
      pairs = new ArrayList<>();
      for (String d : ds) {
        for (int l : ls) {
          pairs.add(d + ":" + l);
        }
      }
    }
    for (String d : ds) {
      require(
          d.equals(BenchmarkOptions.BEAUTY)
              || d.equals(BenchmarkOptions.SCIENTIFIC)
              || d.equals(BenchmarkOptions.SCIENTIFIC_SENTENCE),
          datasetFlag + ": unknown dataset " + d + "; beauty, scientific or scientific-minilm");
    }
    List<TokenizerVariant> vs = new ArrayList<>();
    for (String key : list(variants)) {
      try {
        vs.add(TokenizerVariant.byKey(key));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--variants: " + e.getMessage(), e);
      }
    }
    require(
        !ds.isEmpty() && !ls.isEmpty() && !vs.isEmpty(),
        "--datasets, --levels and --variants must not be empty");
    require(
        ls.stream().allMatch(l -> l >= 1 && l <= 4),
        "--levels must be in 1..4 (the published indexes have 4)");
    require(
        vs.contains(TokenizerVariant.RQ_VAE),
        "--variants must include rq-vae, the baseline of the CIs");
    Path beauty = data;
    if (beauty == null && (tune || ds.contains(BenchmarkOptions.BEAUTY))) {
      beauty =
          DataPaths.beauty()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "Beauty data not found; pass --data DIR or -D"
                              + DataPaths.BEAUTY_PROPERTY
                              + "=DIR"));
    }
    // Resolved here when present; a run that needs it and finds none fails when it loads it.
    Path scientificDir = scientific != null ? scientific : DataPaths.scientific().orElse(null);
    int s = seeds != null ? seeds : quick ? 1 : 3;
    int ts = tokenizerSeeds != null ? tokenizerSeeds : quick ? 2 : 5;
    int b = bootstrap != null ? bootstrap : quick ? 100 : 1000;
    require(
        s >= 1 && ts >= 1 && threads >= 1, "--seeds, --tokenizer-seeds and --threads must be >= 1");
    require(coldStart >= 0 && coldStart < 0.5, "--cold-start must be in [0, 0.5)");
    require(b >= 10, "--bootstrap must be >= 10");
    TokenizerBudget tokenizer =
        new TokenizerBudget(
            tokenizerSteps != null ? tokenizerSteps : quick ? 20 : 2000,
            tokenizerBatch,
            tokenizerLr,
            ls.get(0),
            256,
            evalEvery != null ? evalEvery : quick ? 10 : 100,
            42L,
            new TokenizerRecipe(
                enumOf(QuasidConfig.LossScale.class, "--loss-scale", lossScale),
                detachDeepResiduals,
                codebookLr,
                deadCodeSteps,
                enumOf(TokenizerRecipe.Checkpoint.class, "--checkpoint", checkpoint),
                enumOf(
                    QuasidConfig.ContrastiveNegatives.class,
                    "--contrastive-negatives",
                    contrastiveNegatives),
                enumOf(TokenizerRecipe.PairSource.class, "--pairs", pairSource)));
    RecommenderConfig recommender =
        new RecommenderConfig(
            recDim, history, 256, recEpochs != null ? recEpochs : quick ? 1 : 3, recLr, 0.05);
    RecommenderChoice recommenders = RecommenderChoice.byKey(this.recommender);
    int ge = genEpochs != null ? genEpochs : quick ? 1 : 3;
    int gu = genUsers != null ? genUsers : quick ? 256 : 0;
    require(
        ge >= 1 && genBatch >= 1 && genHistory >= 1,
        "--gen-epochs, --gen-batch and" + " --gen-history must be >= 1");
    require(genBeam >= 10, "--gen-beam must be >= 10 (the top 10 come from the beam)");
    require(genLr > 0, "--gen-lr must be > 0");
    require(gu >= 0, "--gen-users must be >= 0");
    GenerativeConfig generative =
        GenerativeConfig.standard(genHistory, genBatch, ge, genLr, genBeam, gu);
    return new BenchmarkOptions(
        beauty,
        scientificDir,
        out,
        quick,
        tune,
        List.copyOf(ds),
        List.copyOf(ls),
        List.copyOf(pairs),
        s,
        ts,
        threads,
        coldStart,
        b,
        List.copyOf(vs),
        tokenizer,
        recommender,
        List.of("rqvae_native", "rkmeans_native", "letter_native", "quasid_native"),
        recommenders,
        generative);
  }

  /** {@code row-sum} -> ROW_SUM, refused with the accepted values otherwise. */
  private static <E extends Enum<E>> E enumOf(Class<E> type, String flag, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.replace('-', '_'))) {
        return e;
      }
    }
    List<String> accepted = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      accepted.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    throw new IllegalArgumentException(
        flag + " must be one of " + String.join(", ", accepted) + ", got '" + value + "'");
  }

  static String keys(List<TokenizerVariant> variants) {
    return String.join(",", variants.stream().map(TokenizerVariant::key).toList());
  }

  /** Comma-separated values, blanks dropped. */
  private static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
  }

  private static List<Integer> ints(String flag, String csv) {
    List<String> values = list(csv);
    for (String v : values) {
      require(isInt(v), flag + " takes comma-separated integers, not " + csv);
    }
    return values.stream().map(Integer::parseInt).toList();
  }

  private static boolean isInt(String s) {
    try {
      Integer.parseInt(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The {@code --variants} keys, for the usage. */
  static final class VariantKeys implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(TokenizerVariant.values()).map(TokenizerVariant::key).iterator();
    }
  }
}
