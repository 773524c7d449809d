package io.quasid.bench.streaming;

import io.quasid.bench.BenchmarkCommandLine;
import io.quasid.bench.quality.BeautyDataset;
import io.quasid.bench.quality.CatalogueData;
import io.quasid.bench.quality.DataPaths;
import io.quasid.bench.quality.LeaveOneOutSplit;
import io.quasid.bench.quality.RecommenderConfig;
import io.quasid.bench.quality.RecommenderRun;
import io.quasid.bench.quality.RecommenderTrainer;
import io.quasid.bench.quality.ScientificDataset;
import io.quasid.bench.quality.SidRecommender;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.pipeline.ChurnPolicy;
import io.quasid.job.training.BatchOptions;
import io.quasid.job.training.FineTuneOptions;
import io.quasid.job.training.PublishOptions;
import io.quasid.job.training.TrainingExample;
import io.quasid.job.training.TrainingOptions;
import io.quasid.job.types.ModelUpdate;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Does continuous fine-tuning pay while the catalogue grows? Beauty (or Scientific, {@code
 * --dataset}) is replayed in the demo's stream order (users' interactions interleaved, an item
 * appearing with its first interaction); the tokenizer starts from a model fitted offline on the
 * first items only, and the rest arrive over the run. Four arms, all through the job's own code:
 * the frozen start model; the job's {@code TokenizerTrainer} (operator harness) with its defaults
 * and quality gate; the same with the gate off; and a periodic offline retrain on every item seen
 * so far. Writes {@code catalogue-growth.md} and PNG curves; see {@code benchmarks/GROWTH.md}.
 */
public final class CatalogueGrowthBenchmark {

  private static final int BATCH = 256;

  /** The quality benchmark's seed of the Scientific text features, so both see the same vectors. */
  private static final long SCIENTIFIC_FEATURE_SEED = 2026;

  public static void main(String[] args) throws Exception {
    Optional<GrowthSettings> parsed = BenchmarkCommandLine.parseOrExit(new GrowthFlags(), args);
    if (parsed.isEmpty()) {
      return;
    }
    GrowthSettings settings = parsed.get();
    Instant began = Instant.now();
    CatalogueData data =
        switch (settings.dataset()) {
          case BEAUTY -> BeautyDataset.load(DataPaths.requireBeauty());
          case SCIENTIFIC ->
              ScientificDataset.load(
                  DataPaths.scientific()
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  "Scientific data not found: set -D"
                                      + DataPaths.SCIENTIFIC_PROPERTY)),
                  SCIENTIFIC_FEATURE_SEED);
        };
    int[][] sequences =
        settings.users() > 0 && settings.users() < data.numUsers()
            ? Arrays.copyOf(data.sequences(), settings.users())
            : data.sequences();
    int n = data.numItems();
    // Each user's last item is the held-out test target: the stream carries the rest, and the
    // (second to last, last) pair is a co-engagement the trainer never sees as a pair.
    int[][] streamed = new int[sequences.length][];
    int[][] heldOut = new int[sequences.length][];
    for (int u = 0; u < sequences.length; u++) {
      int[] s = sequences[u];
      streamed[u] = Arrays.copyOf(s, s.length - 1);
      heldOut[u] = new int[] {s[s.length - 2], s[s.length - 1]};
    }
    StreamReplay replay = StreamReplay.interleave(streamed, n);
    int start = replay.startPoint(settings.startFraction());
    int[] checkpoints = replay.checkpoints(start, settings.checkpoints());
    boolean[] startItems = replay.arrivedBefore(start);
    LiveCatalogue catalogue = new LiveCatalogue(data.vectors(), replay, startItems, heldOut, 7L);
    String[] ids = new String[n];
    String[] groups = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = Integer.toString(i + 1);
      groups[i] = data.groupIds()[i] < 0 ? null : Integer.toString(data.groupIds()[i]);
    }
    GrowthReport.Setup setup =
        new GrowthReport.Setup(
            settings,
            sequences.length,
            replay.length(),
            replay.distinctItems(),
            count(startItems),
            start,
            checkpoints);
    System.out.printf(
        Locale.ROOT,
        "[growth] %d users, %d stream events, %d items; start point %d (%d start items), %d"
            + " checkpoints%n",
        sequences.length,
        replay.length(),
        replay.distinctItems(),
        start,
        count(startItems),
        checkpoints.length);
    GateLog gates = GateLog.install();
    List<GrowthRun> runs = new ArrayList<>();
    List<Double> startSeconds = new ArrayList<>();
    List<Double> branchSeconds = new ArrayList<>();
    Path work = Files.createTempDirectory("quasid-growth");
    for (int s = 0; s < settings.seeds(); s++) {
      long seed = 42L + s;
      QuasidJobOptions job =
          QuasidJobOptions.defaults()
              .with("vector.dim", Integer.toString(data.vectors()[0].length))
              .with("model.seed", Long.toString(seed))
              .with(TrainingOptions.SEED.key(), Long.toString(seed));
      QuasidConfig config = job.modelConfig();
      // Not job.training(), which draws a random training.secret: every arm of a seed must sample
      // the same items, and a seed must reproduce its earlier runs.
      TrainingOptions training =
          new TrainingOptions(config, job.configuration())
              .with(BatchOptions.MAX_STEPS_PER_SECOND, 0.0);
      OfflineFit.Fitted startFit =
          OfflineFit.fit(
              config,
              data.vectors(),
              data.groupIds(),
              startItems,
              replay.consecutivePairs(start),
              settings.offlineSteps(),
              BATCH,
              seed);
      startSeconds.add(startFit.seconds());
      Path warm = work.resolve("start-" + seed + ".snapshot");
      Files.write(warm, startFit.model().snapshot().bytes());
      System.out.printf(
          Locale.ROOT, "[growth] seed %d: start model in %.1f s%n", seed, startFit.seconds());
      TrainingBranch.Output branch =
          TrainingBranch.run(replay, data.vectors(), ids, groups, training);
      branchSeconds.add(branch.seconds());
      System.out.printf(
          Locale.ROOT,
          "[growth] seed %d: training branch %d examples (%d pairs, %d interactions held by the gate) in %.1f s%n",
          seed,
          branch.examples().size(),
          branch.examples().stream().filter(TrainingExample::isPair).count(),
          branch.heldInteractions(),
          branch.seconds());
      try (QuasidModel startModel = startFit.model()) {
        int[][] startCodes = catalogue.codes(startModel, startItems);
        runs.add(frozen(catalogue, startModel, checkpoints, seed));
        report(runs);
        TrainingOptions withGate = training.with(FineTuneOptions.WARM_START, warm.toString());
        TrainingOptions noGate =
            withGate
                .with(PublishOptions.COLLISION_TOLERANCE, 1.0)
                .with(PublishOptions.COHERENCE_TOLERANCE, 1.0)
                .with(PublishOptions.CHURN_BUDGET, 1.0);
        TrainingOptions anchored =
            withGate
                .with(FineTuneOptions.ANCHOR_LATENT_WEIGHT, settings.anchorWeight())
                .with(FineTuneOptions.ANCHOR_CODEBOOK_WEIGHT, settings.anchorWeight());
        if (settings.fineTuneRate() > 0) {
          anchored =
              anchored
                  .with(FineTuneOptions.FINE_TUNE_LEARNING_RATE, settings.fineTuneRate())
                  .with(
                      FineTuneOptions.FINE_TUNE_CODEBOOK_LEARNING_RATE,
                      10 * settings.fineTuneRate());
        }
        record Continuous(GrowthArm arm, TrainingOptions options, ChurnPolicy policy) {}
        List<Continuous> arms =
            List.of(
                new Continuous(GrowthArm.CONTINUOUS, withGate, ChurnPolicy.always()),
                new Continuous(GrowthArm.KEPT, withGate, settings.churnPolicy()),
                new Continuous(GrowthArm.NO_GATE, noGate, ChurnPolicy.always()),
                new Continuous(GrowthArm.ANCHORED, anchored, ChurnPolicy.always()),
                new Continuous(GrowthArm.ANCHORED_KEPT, anchored, settings.churnPolicy()));
        for (Continuous arm : arms) {
          if (settings.runs(arm.arm())) {
            runs.add(
                continuous(
                    arm.arm(),
                    catalogue,
                    arm.options(),
                    arm.policy(),
                    settings.budgetRank(),
                    branch,
                    checkpoints,
                    startCodes,
                    seed));
            gates.takeAndReset();
            report(runs);
          }
        }
        if (settings.runs(GrowthArm.RETRAIN)) {
          runs.add(
              retrain(
                  catalogue,
                  config,
                  data,
                  startModel,
                  checkpoints,
                  startCodes,
                  settings.offlineSteps(),
                  settings.retrainEvery(),
                  seed));
          report(runs);
        }
      }
      if (settings.recEpochs() > 0) {
        recommendSeed(runs, sequences, settings, startItems, seed);
      }
      // Written after every seed, so a run cut short still leaves the seeds it finished.
      Files.createDirectories(settings.out());
      Path md =
          GrowthReport.write(
              setup, runs, startSeconds, branchSeconds, Duration.between(began, Instant.now()));
      System.out.println("[growth] wrote " + md + " (" + (s + 1) + " seeds)");
    }
  }

  private static void recommendSeed(
      List<GrowthRun> runs,
      int[][] sequences,
      GrowthSettings settings,
      boolean[] startItems,
      long seed) {
    LeaveOneOutSplit split = LeaveOneOutSplit.of(sequences);
    RecommenderConfig rec = new RecommenderConfig(64, 20, BATCH, settings.recEpochs(), 1e-2, 0.05);
    {
      for (int i = 0; i < runs.size(); i++) {
        if (runs.get(i).seed() != seed) {
          continue;
        }
        GrowthRun run = runs.get(i);
        runs.set(i, run.withRecommender(recommend(split, rec, run, startItems)));
        GrowthRun.Ranking r = runs.get(i).recommender();
        System.out.printf(
            Locale.ROOT,
            "[growth] recommender %s seed %d: late users R@10 %.4f N@10 %.4f (all %.4f / %.4f)"
                + " in %.0f s%n",
            run.arm().label,
            run.seed(),
            r.lateRecall10(),
            r.lateNdcg10(),
            r.recall10(),
            r.ndcg10(),
            r.seconds());
      }
    }
    // The consumer that keeps its recommender: trained on the frozen arm's (start model's) codes.
    GrowthRun frozen =
        runs.stream()
            .filter(r -> r.seed() == seed && r.arm() == GrowthArm.FROZEN)
            .findFirst()
            .orElseThrow();
    RecommenderTrainer trainer = new RecommenderTrainer(split, rec);
    SidRecommender early = trainer.fit(frozen.endCodes(), 256, seed);
    for (int i = 0; i < runs.size(); i++) {
      GrowthRun run = runs.get(i);
      if (run.seed() != seed || run.arm() == GrowthArm.FROZEN) {
        continue;
      }
      GrowthRun.Ranking c = consumer(split, trainer, early, frozen.endCodes(), run, startItems);
      runs.set(i, run.withRecommender(c));
      System.out.printf(
          Locale.ROOT,
          "[growth] consumer %s seed %d: %.1f%% of history tokens remapped; late users R@10 kept"
              + " %.4f, after one warm epoch %.4f, retrained %.4f%n",
          run.arm().label,
          seed,
          100 * c.remappedTokens(),
          c.keptLateRecall10(),
          c.warmLateRecall10(),
          c.lateRecall10());
    }
  }

  private static GrowthRun frozen(
      LiveCatalogue catalogue, QuasidModel start, int[] checkpoints, long seed) {
    List<GrowthCheckpoint> points = new ArrayList<>();
    for (int k = 0; k < checkpoints.length; k++) {
      points.add(catalogue.measure(start, checkpoints[k], fraction(k, checkpoints)));
    }
    return new GrowthRun(
        GrowthArm.FROZEN,
        seed,
        points,
        List.of(),
        0,
        0,
        Map.of(),
        0,
        catalogue.allCodes(start),
        null);
  }

  /**
   * Replays the branch's examples through the job's trainer; each published version is restored
   * from the broadcast snapshot (as the assigners restore it) and applied to the items under the
   * arm's churn policy ({@link AssignedCodes}); new items take the live version's codes.
   */
  private static GrowthRun continuous(
      GrowthArm arm,
      LiveCatalogue catalogue,
      TrainingOptions options,
      ChurnPolicy policy,
      AssignedCodes.BudgetRank rank,
      TrainingBranch.Output branch,
      int[] checkpoints,
      int[][] startCodes,
      long seed)
      throws Exception {
    GateLog.install().takeAndReset();
    List<GrowthCheckpoint> points = new ArrayList<>();
    List<GrowthRun.Version> versions = new ArrayList<>();
    AssignedCodes assigned = new AssignedCodes(catalogue.vectors(), policy, rank);
    int[] engagements = new int[catalogue.vectors().length];
    int counted = 0;
    QuasidModel live = null;
    List<TrainingExample> examples = branch.examples();
    int[] positions = branch.positions();
    int total = catalogue.replay().length();
    int start = checkpoints[0];
    double seconds;
    try (JobTrainer trainer = new JobTrainer(options)) {
      int e = 0;
      for (int k = 0; k < checkpoints.length; k++) {
        while (e < examples.size() && positions[e] < checkpoints[k]) {
          for (ModelUpdate update : trainer.feed(examples.get(e))) {
            QuasidModel next = QuasidModel.restore(update.snapshot);
            if (live != null) {
              assigned.assignArrivals(live, catalogue.replay().arrivedBefore(positions[e] + 1));
              for (; counted <= positions[e]; counted++) {
                engagements[catalogue.replay().items()[counted]]++;
              }
              assigned.engagementsSoFar(engagements);
              boolean[] held = assigned.heldMask();
              int[][] before = assigned.codes(held);
              double churn = assigned.apply(next);
              int[][] after = assigned.codes(held);
              versions.add(
                  new GrowthRun.Version(
                      Math.max(0, (positions[e] + 1.0 - start) / (total - start)),
                      churn,
                      GrowthMetrics.churn(before, after, held, 1),
                      GrowthMetrics.relabelledChurn(before, after, held, next.codebookSize())));
              live.close();
            }
            live = next;
          }
          e++;
        }
        boolean[] arrived = catalogue.replay().arrivedBefore(checkpoints[k]);
        assigned.assignArrivals(live, arrived);
        points.add(
            catalogue.measure(
                assigned.codes(arrived),
                live.codebookSize(),
                live.levels(),
                checkpoints[k],
                fraction(k, checkpoints)));
        System.out.printf(
            Locale.ROOT,
            "[growth] %s seed %d: %3.0f%% collisions %.4f late colliding %.4f coherence %.4f,"
                + " %d versions, %.0f s in the trainer%n",
            arm.label,
            seed,
            100 * fraction(k, checkpoints),
            points.get(k).collisionRate(),
            points.get(k).lateColliding(),
            points.get(k).coherence12(),
            versions.size(),
            trainer.seconds());
      }
      seconds = trainer.seconds();
    }
    GateLog.Decisions gate = GateLog.install().takeAndReset();
    try (QuasidModel end = live) {
      boolean[] startItems = catalogue.startItems();
      return new GrowthRun(
          arm,
          seed,
          points,
          versions,
          seconds,
          gate.published(),
          gate.rejections(),
          GrowthMetrics.churn(startCodes, assigned.codes(startItems), startItems),
          assigned.allCodes(end),
          null);
    }
  }

  /** Refits from scratch on every item seen so far at each checkpoint after the start. */
  private static GrowthRun retrain(
      LiveCatalogue catalogue,
      QuasidConfig config,
      CatalogueData data,
      QuasidModel start,
      int[] checkpoints,
      int[][] startCodes,
      int steps,
      int every,
      long seed) {
    List<GrowthCheckpoint> points = new ArrayList<>();
    List<GrowthRun.Version> versions = new ArrayList<>();
    points.add(catalogue.measure(start, checkpoints[0], 0));
    QuasidModel current = start;
    double seconds = 0;
    try {
      for (int k = 1; k < checkpoints.length; k++) {
        if (k % every != 0 && k != checkpoints.length - 1) {
          // Between refits the last one stays live; new items are encoded by it.
          points.add(catalogue.measure(current, checkpoints[k], fraction(k, checkpoints)));
          continue;
        }
        boolean[] seen = catalogue.replay().arrivedBefore(checkpoints[k]);
        OfflineFit.Fitted fit =
            OfflineFit.fit(
                config,
                data.vectors(),
                data.groupIds(),
                seen,
                catalogue.replay().consecutivePairs(checkpoints[k]),
                steps,
                BATCH,
                seed);
        seconds += fit.seconds();
        int[][] before = catalogue.codes(current, seen);
        int[][] after = catalogue.codes(fit.model(), seen);
        versions.add(
            new GrowthRun.Version(
                fraction(k, checkpoints),
                GrowthMetrics.churn(before, after, seen),
                GrowthMetrics.churn(before, after, seen, 1),
                GrowthMetrics.relabelledChurn(before, after, seen, current.codebookSize())));
        if (current != start) {
          current.close();
        }
        current = fit.model();
        points.add(catalogue.measure(current, checkpoints[k], fraction(k, checkpoints)));
        System.out.printf(
            Locale.ROOT,
            "[growth] %s seed %d: %3.0f%% collisions %.4f late colliding %.4f coherence %.4f,"
                + " retrain %.0f s (total %.0f s)%n",
            GrowthArm.RETRAIN.label,
            seed,
            100 * fraction(k, checkpoints),
            points.get(k).collisionRate(),
            points.get(k).lateColliding(),
            points.get(k).coherence12(),
            fit.seconds(),
            seconds);
      }
      boolean[] startItems = catalogue.startItems();
      return new GrowthRun(
          GrowthArm.RETRAIN,
          seed,
          points,
          versions,
          seconds,
          versions.size(),
          Map.of(),
          GrowthMetrics.churn(startCodes, catalogue.codes(current, startItems), startItems),
          catalogue.allCodes(current),
          null);
    } finally {
      if (current != start) {
        current.close();
      }
    }
  }

  private static GrowthRun.Ranking recommend(
      LeaveOneOutSplit split, RecommenderConfig config, GrowthRun run, boolean[] startItems) {
    return ranking(
        split,
        new RecommenderTrainer(split, config).train(run.endCodes(), 256, run.seed(), false),
        startItems);
  }

  /**
   * The consumer that does not retrain from scratch: the recommender trained on the start model's
   * codes (the frozen arm's), moved onto {@code run}'s end codes as it is and after one warm epoch.
   */
  private static GrowthRun.Ranking consumer(
      LeaveOneOutSplit split,
      RecommenderTrainer trainer,
      SidRecommender early,
      int[][] earlyCodes,
      GrowthRun run,
      boolean[] startItems) {
    double kept =
        ranking(split, trainer.continueOn(early, run.endCodes(), 0, run.seed()), startItems)
            .lateRecall10();
    double warm =
        ranking(split, trainer.continueOn(early, run.endCodes(), 1, run.seed()), startItems)
            .lateRecall10();
    return run.recommender()
        .withConsumer(kept, warm, remapped(split.train(), earlyCodes, run.endCodes()));
  }

  /** Share of the (history item, level) tokens of the training histories whose code differs. */
  private static double remapped(int[][] histories, int[][] before, int[][] after) {
    long tokens = 0;
    long changed = 0;
    for (int[] history : histories) {
      for (int item : history) {
        for (int l = 0; l < before[item].length; l++) {
          tokens++;
          changed += before[item][l] == after[item][l] ? 0 : 1;
        }
      }
    }
    return tokens == 0 ? 0 : (double) changed / tokens;
  }

  private static GrowthRun.Ranking ranking(
      LeaveOneOutSplit split, RecommenderRun r, boolean[] startItems) {
    double lateRecall = 0;
    double lateNdcg = 0;
    double recall = 0;
    double ndcg = 0;
    int late = 0;
    int[] targets = split.testTargets();
    for (int u = 0; u < targets.length; u++) {
      recall += r.testSum().recall10()[u];
      ndcg += r.testSum().ndcg10()[u];
      if (!startItems[targets[u]]) {
        late++;
        lateRecall += r.testSum().recall10()[u];
        lateNdcg += r.testSum().ndcg10()[u];
      }
    }
    return new GrowthRun.Ranking(
        lateRecall / late,
        lateNdcg / late,
        recall / targets.length,
        ndcg / targets.length,
        late,
        r.seconds(),
        Double.NaN,
        Double.NaN,
        Double.NaN);
  }

  private static double fraction(int k, int[] checkpoints) {
    return (double) k / (checkpoints.length - 1);
  }

  private static int count(boolean[] mask) {
    int c = 0;
    for (boolean b : mask) {
      c += b ? 1 : 0;
    }
    return c;
  }

  private static void report(List<GrowthRun> runs) {
    GrowthRun r = runs.get(runs.size() - 1);
    GrowthCheckpoint end = r.end();
    System.out.printf(
        Locale.ROOT,
        "[growth] done %s seed %d: end collisions %.4f, late colliding %.4f, coherence L1+L2 %.4f"
            + " (late %.4f, random %.4f), %d versions, churn/version mean %.3f max %.3f, %.0f s%n",
        r.arm().label,
        r.seed(),
        end.collisionRate(),
        end.lateColliding(),
        end.coherence12(),
        end.lateCoherence12(),
        end.random12(),
        r.published(),
        r.meanChurn(),
        r.maxChurn(),
        r.computeSeconds());
  }
}
