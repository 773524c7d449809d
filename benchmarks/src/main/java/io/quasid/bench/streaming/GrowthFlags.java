package io.quasid.bench.streaming;

import static io.quasid.bench.BenchmarkFlags.require;

import io.quasid.bench.BenchmarkFlags;
import io.quasid.job.pipeline.ChurnPolicy;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The flags of {@link CatalogueGrowthBenchmark}, and the {@link GrowthSettings} they make. Without
 * flags it replays every user with 3 seeds; {@code --quick} shrinks what a flag does not set.
 */
@Command(
    name = "CatalogueGrowthBenchmark",
    sortOptions = false,
    description = {
      "Does continuous fine-tuning pay while the catalogue grows? Replays Beauty (or Scientific)"
          + " in stream order from a start model fitted offline on the first items, and compares"
          + " the frozen model, the job's trainer (gate on and off), a periodic offline retrain and"
          + " the churn-policy and anchored arms; writes catalogue-growth.md and its PNGs (see"
          + " benchmarks/GROWTH.md)."
    })
final class GrowthFlags implements BenchmarkFlags<GrowthSettings> {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where the report and PNGs go (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("benchmarks", "results");

  @Option(
      names = "--quick",
      description =
          "Development run (800 users, 1 seed, 30 offline steps, 1 recommender epoch unless set);"
              + " writes catalogue-growth-quick.*.")
  boolean quick;

  @Option(
      names = "--users",
      paramLabel = "N",
      description =
          "First N users of the dataset replayed; 0 = all (default: 0; 800 with --quick).")
  Integer users;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      description = "Model and training seeds 42, 43, ... (default: 3; 1 with --quick).")
  Integer seeds;

  @Option(
      names = "--start-fraction",
      paramLabel = "F",
      description =
          "Share of the distinct items the start model is fitted on, in (0, 1)"
              + " (default: ${DEFAULT-VALUE}).")
  double startFraction = 0.25;

  @Option(
      names = "--checkpoints",
      paramLabel = "N",
      description =
          "Measurement points after the start point; 10 = every 10%% (default: ${DEFAULT-VALUE}).")
  int checkpoints = 10;

  @Option(
      names = "--offline-steps",
      paramLabel = "N",
      description =
          "Steps of the offline recipe, for the start model and every retrain (default: 1000; 30"
              + " with --quick).")
  Integer offlineSteps;

  @Option(
      names = "--retrain-every",
      paramLabel = "N",
      description =
          "Arm (d) refits at every N-th measurement point; 1 = every point"
              + " (default: ${DEFAULT-VALUE}).")
  int retrainEvery = 1;

  @Option(
      names = "--rec-epochs",
      paramLabel = "N",
      description = "Recommender epochs; 0 skips the recommender (default: 3; 1 with --quick).")
  Integer recEpochs;

  @Option(
      names = "--churn-policy",
      paramLabel = "P",
      converter = ChurnPolicyConverter.class,
      description =
          "The job's churn.policy for arms (e) and (g): ALWAYS, KEEP, KEEP_UNLESS_BETTER:0.1,"
              + " FREEZE_LEVELS:1, KEEP_UNLESS_COARSE_MOVES:1, BUDGET:1000:0.1 or BUDGET:10%:0.1 (at most 10% of the held"
              + " items per version) (default: ${DEFAULT-VALUE}).")
  ChurnPolicy churnPolicy = ChurnPolicy.keep();

  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      description = "beauty or scientific (default: beauty).")
  GrowthSettings.Dataset dataset = GrowthSettings.Dataset.BEAUTY;

  @Option(
      names = "--anchor",
      paramLabel = "W",
      description =
          "training.anchor.latent-weight and codebook-weight of arms (f) and (g), >= 0; 0"
              + " fine-tunes them without anchoring, for a learning-rate axis with"
              + " --fine-tune-lr (default: 10).")
  double anchor = 10;

  @Option(
      names = "--fine-tune-lr",
      paramLabel = "R",
      description =
          "training.fine-tune.learning-rate of arms (f) and (g), the codebooks' ten times it;"
              + " 0 = the warm start's own (default: 0).")
  double fineTuneRate = 0;

  @Option(
      names = "--budget-rank",
      paramLabel = "RANK",
      description =
          "How arms (e) and (g) rank the items a BUDGET policy may move: gain (the assigners'"
              + " own ranking, by how much better the new codes fit) or engagements (the items"
              + " users engaged with most so far first; a benchmark-only test, not in the job)"
              + " (default: gain).")
  String budgetRank = "gain";

  @Option(
      names = "--arms",
      paramLabel = "LETTERS",
      description =
          "The arms to run, by letter; (a), the frozen model, always runs"
              + " (default: ${DEFAULT-VALUE}).")
  String arms = "abcdefg";

  @Override
  public GrowthSettings settings() {
    GrowthSettings s =
        new GrowthSettings(
            out,
            quick,
            users != null ? users : quick ? 800 : 0,
            seeds != null ? seeds : quick ? 1 : 3,
            startFraction,
            checkpoints,
            offlineSteps != null ? offlineSteps : quick ? 30 : 1000,
            retrainEvery,
            recEpochs != null ? recEpochs : quick ? 1 : 3,
            churnPolicy,
            dataset,
            anchor,
            fineTuneRate,
            arms.toLowerCase(Locale.ROOT),
            budgetRank());
    require(s.users() >= 0, "--users must be >= 0 (0 = all)");
    require(s.seeds() >= 1, "--seeds must be >= 1");
    require(s.checkpoints() >= 1, "--checkpoints must be >= 1");
    require(s.offlineSteps() >= 0, "--offline-steps must be >= 0");
    require(s.recEpochs() >= 0, "--rec-epochs must be >= 0");
    require(s.retrainEvery() >= 1, "--retrain-every must be >= 1");
    require(anchor >= 0, "--anchor must be >= 0");
    require(fineTuneRate >= 0, "--fine-tune-lr must be >= 0");
    require(startFraction > 0 && startFraction < 1, "--start-fraction must be in (0, 1)");
    return s;
  }

  private AssignedCodes.BudgetRank budgetRank() {
    try {
      return AssignedCodes.BudgetRank.valueOf(budgetRank.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--budget-rank must be gain or engagements");
    }
  }

  /** {@link ChurnPolicy#parse}, its refusal as picocli's "Invalid value" for the flag. */
  static final class ChurnPolicyConverter implements ITypeConverter<ChurnPolicy> {
    @Override
    public ChurnPolicy convert(String value) {
      try {
        return ChurnPolicy.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
