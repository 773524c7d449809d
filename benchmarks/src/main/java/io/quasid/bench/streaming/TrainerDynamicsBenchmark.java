package io.quasid.bench.streaming;

import io.quasid.bench.BenchmarkCommandLine;
import io.quasid.bench.BenchmarkFlags;
import io.quasid.bench.quality.BeautyDataset;
import io.quasid.bench.quality.CatalogueData;
import io.quasid.bench.quality.DataPaths;
import io.quasid.bench.quality.LeaveOneOutSplit;
import io.quasid.bench.quality.MeanStd;
import io.quasid.bench.quality.SidMetrics;
import io.quasid.bench.quality.TokenizerBatches;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How the catalogue's collision rate moves while the streaming trainer fine-tunes a freshly
 * k-means-initialised tokenizer, for the two choices that decide it: what the batches hold
 * (interaction pairs only, as the stream delivers them, or half of each batch drawn uniformly from
 * the catalogue) and how fast the codebooks learn (the encoder's rate, or ten times it). Same
 * model, seeds, initialisation and pair draws for every variant; writes {@code
 * trainer-dynamics.md}.
 */
public final class TrainerDynamicsBenchmark {

  private static final int BATCH = 256;
  private static final int INIT_ROWS = 1024;
  private static final float ENCODER_LR = 1e-3f;

  record Variant(String name, double catalogueShare, float codebookLr) {}

  static final List<Variant> VARIANTS =
      List.of(
          new Variant("pairs only, codebook lr 1e-3", 0.0, 1e-3f),
          new Variant("pairs only, codebook lr 1e-2", 0.0, 1e-2f),
          new Variant("half catalogue, codebook lr 1e-3", 0.5, 1e-3f),
          new Variant("half catalogue, codebook lr 1e-2 (job defaults)", 0.5, 1e-2f));

  /** The flags: where the report goes, and the length and repeats of each trajectory. */
  @Command(
      name = "TrainerDynamicsBenchmark",
      sortOptions = false,
      description = {
        "Catalogue collision rate while the streaming trainer fine-tunes a k-means-initialised"
            + " tokenizer on Beauty, per batch mix (interaction pairs only, or half catalogue) and"
            + " codebook learning rate; writes trainer-dynamics.md."
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
        description = "Where trainer-dynamics.md goes (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("benchmarks", "results");

    @Option(
        names = "--steps",
        paramLabel = "N",
        description = "Fine-tuning steps of 256 rows per trajectory (default: ${DEFAULT-VALUE}).")
    int steps = 600;

    @Option(
        names = "--eval-every",
        paramLabel = "N",
        description = "Catalogue collision rate every N steps (default: ${DEFAULT-VALUE}).")
    int every = 50;

    @Option(
        names = "--seeds",
        paramLabel = "N",
        description = "Seeds 42, 43, ... per variant (default: ${DEFAULT-VALUE}).")
    int seeds = 3;

    @Override
    public Flags settings() {
      // Below these the run fails late (a division by zero, an empty average) or measures nothing.
      BenchmarkFlags.require(steps >= 1, "--steps must be >= 1");
      BenchmarkFlags.require(every >= 1, "--eval-every must be >= 1");
      BenchmarkFlags.require(seeds >= 1, "--seeds must be >= 1");
      return this;
    }
  }

  public static void main(String[] args) throws IOException {
    Optional<Flags> parsed = BenchmarkCommandLine.parseOrExit(new Flags(), args);
    if (parsed.isEmpty()) {
      return;
    }
    Flags flags = parsed.get();
    Path out = flags.out;
    int steps = flags.steps;
    int every = flags.every;
    int seeds = flags.seeds;
    Path dataDir = DataPaths.requireBeauty();
    CatalogueData data = BeautyDataset.load(dataDir);
    int[][] pairs = TokenizerBatches.collaborativePairs(LeaveOneOutSplit.of(data.sequences()));
    Instant start = Instant.now();
    List<double[][]> curves = new ArrayList<>();
    for (Variant v : VARIANTS) {
      double[][] perSeed = new double[seeds][];
      for (int s = 0; s < seeds; s++) {
        perSeed[s] = trajectory(data, pairs, v, 42L + s, steps, every);
        System.out.printf(
            Locale.ROOT,
            "[dynamics] %s seed %d: %.4f -> %.4f%n",
            v.name(),
            42L + s,
            perSeed[s][0],
            perSeed[s][perSeed[s].length - 1]);
      }
      curves.add(perSeed);
    }
    Files.createDirectories(out);
    Path report = out.resolve("trainer-dynamics.md");
    Files.writeString(
        report,
        report(
            data,
            pairs.length,
            steps,
            every,
            seeds,
            curves,
            Duration.between(start, Instant.now())));
    System.out.println("[dynamics] wrote " + report);
  }

  /** Catalogue collision rate after k-means init (index 0) and every {@code every} steps. */
  static double[] trajectory(
      CatalogueData data, int[][] pairs, Variant v, long seed, int steps, int every) {
    QuasidConfig config =
        QuasidConfig.builder(data.vectors()[0].length)
            .seed(seed)
            .learningRate(ENCODER_LR)
            .codebookLearningRate(v.codebookLr())
            .build();
    Random random = new Random(seed);
    float[][] init = new float[INIT_ROWS][];
    for (int i = 0; i < init.length; i++) {
      init[i] = data.vectors()[random.nextInt(data.numItems())];
    }
    TokenizerBatches batches = new TokenizerBatches(data, pairs, BATCH, v.catalogueShare(), seed);
    double[] rates = new double[steps / every + 1];
    try (QuasidModel model = QuasidModel.create(config)) {
      model.initCodebooks(init);
      rates[0] = collisionRate(model, data, config);
      for (int step = 1; step <= steps; step++) {
        model.trainStep(batches.next());
        if (step % every == 0) {
          rates[step / every] = collisionRate(model, data, config);
        }
      }
    }
    return rates;
  }

  private static double collisionRate(QuasidModel model, CatalogueData data, QuasidConfig c) {
    return SidMetrics.of(model.encode(data.vectors()).codes(), c.codebookSize()).collisionRate();
  }

  private static String report(
      CatalogueData data,
      int pairCount,
      int steps,
      int every,
      int seeds,
      List<double[][]> curves,
      Duration took) {
    StringBuilder md = new StringBuilder();
    md.append("# Streaming trainer dynamics: catalogue collision rate while fine-tuning\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Generated by `io.quasid.bench.streaming.TrainerDynamicsBenchmark` on %s in %ds on %d"
                + " available cores.%n%n",
            Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            took.toSeconds(),
            Runtime.getRuntime().availableProcessors()));
    md.append(
        String.format(
            Locale.ROOT,
            "Beauty: %,d items (64-d), %,d collaborative pairs (consecutive distinct items of the"
                + " training prefixes; popular items dominate them as they dominate an interaction"
                + " stream). Model: job defaults (3 levels x 256 codes, latent 32, encoder"
                + " 512-256-128, encoder lr %.0e), codebooks k-means-initialised on %,d random"
                + " items, then %d steps of %d rows. Collision rate = (N - distinct code tuples) /"
                + " N over the whole catalogue; mean ± std over %d seeds.%n%n",
            data.numItems(),
            pairCount,
            ENCODER_LR,
            INIT_ROWS,
            steps,
            BATCH,
            seeds));
    md.append("| batches, codebook lr |");
    for (int i = 0; i * every <= steps; i++) {
      md.append(i == 0 ? " init |" : " step " + i * every + " |");
    }
    md.append("\n|---|");
    md.append("---|".repeat(steps / every + 1)).append('\n');
    for (int v = 0; v < VARIANTS.size(); v++) {
      md.append("| ").append(VARIANTS.get(v).name()).append(" |");
      double[][] perSeed = curves.get(v);
      for (int i = 0; i < perSeed[0].length; i++) {
        double[] at = new double[perSeed.length];
        for (int s = 0; s < perSeed.length; s++) {
          at[s] = 100 * perSeed[s][i];
        }
        MeanStd m = MeanStd.of(at);
        md.append(String.format(Locale.ROOT, " %.2f%% ± %.2f |", m.mean(), m.std()));
      }
      md.append('\n');
    }
    md.append(
        "\n\"pairs only\" is what the trainer did before `training.catalogue-share` existed: every"
            + " row came from the interaction stream. \"half catalogue\" is `training.catalogue-share"
            + " = 0.5`. The codebook rate is `model.codebook-learning-rate`. Reproduce with `mvn -B"
            + " -q -pl benchmarks -am package -DskipTests -Pdynamics`.\n");
    return md.toString();
  }
}
