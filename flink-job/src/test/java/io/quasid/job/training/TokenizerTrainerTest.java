package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.job.config.ModelOptions;
import io.quasid.job.types.ModelUpdate;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Harness tests of the trainer with the real QuasidModel on CPU (tiny dimensions). */
class TokenizerTrainerTest {
  private static final int DIM = 8;
  private static final int CLUSTERS = 6;
  private static final QuasidConfig MODEL =
      QuasidConfig.builder(DIM)
          .encoderHidden(16)
          .latentDim(4)
          .levels(2)
          .codebookSize(8)
          .learningRate(1e-2f)
          .kmeansIterations(5)
          .deadCodeSteps(20)
          .build();

  private final List<KeyedOneInputStreamOperatorTestHarness<Byte, TrainingExample, ModelUpdate>>
      harnesses = new ArrayList<>();

  private static TrainingOptions options() {
    return TrainingOptions.defaults(MODEL)
        .with(BatchOptions.BATCH_SIZE, 32)
        .with(BatchOptions.NEW_ROWS_PER_STEP, 16)
        .with(BatchOptions.REPLAY_CAPACITY, 200)
        .with(BatchOptions.HELD_OUT_CAPACITY, 64)
        .with(BatchOptions.HELD_OUT_FRACTION, 0.2)
        .with(BatchOptions.INIT_MIN_ROWS, 32)
        .with(PublishOptions.PUBLISH_EVERY_STEPS, 5)
        .with(PublishOptions.PUBLISH_INTERVAL, Duration.ZERO)
        .with(PublishOptions.COLLISION_TOLERANCE, 1.0)
        .with(PublishOptions.COHERENCE_TOLERANCE, 1.0)
        .with(PublishOptions.CHURN_BUDGET, 1.0)
        .with(BatchOptions.MAX_STEPS_PER_SECOND, 0.0);
  }

  private KeyedOneInputStreamOperatorTestHarness<Byte, TrainingExample, ModelUpdate> open(
      TokenizerTrainer trainer, OperatorSubtaskState restoreFrom) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(trainer), e -> TokenizerTrainer.KEY, Types.BYTE);
    harnesses.add(h);
    if (restoreFrom == null) {
      h.initializeEmptyState();
    } else {
      h.initializeState(restoreFrom);
    }
    h.open();
    return h;
  }

  @AfterEach
  void closeHarnesses() throws Exception {
    for (var h : harnesses) {
      h.close();
    }
  }

  /** Items around a few centres; example i is item i%items, every third one a same-cluster pair. */
  private static List<TrainingExample> stream(int items, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] centres = new float[CLUSTERS][DIM];
    for (float[] c : centres) {
      for (int d = 0; d < DIM; d++) {
        c[d] = (float) random.nextGaussian();
      }
    }
    float[][] vectors = new float[items][DIM];
    for (int i = 0; i < items; i++) {
      for (int d = 0; d < DIM; d++) {
        vectors[i][d] = centres[i % CLUSTERS][d] + 0.1f * (float) random.nextGaussian();
      }
    }
    List<TrainingExample> out = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      int i = n % items;
      int j = (i + CLUSTERS) % items;
      out.add(
          n % 3 == 2
              ? TrainingExample.pair("i" + i, vectors[i], null, "i" + j, vectors[j], null, n)
              : TrainingExample.item("i" + i, vectors[i], "g" + (i % 4), n));
    }
    return out;
  }

  private static void feed(
      KeyedOneInputStreamOperatorTestHarness<Byte, TrainingExample, ModelUpdate> h,
      List<TrainingExample> xs)
      throws Exception {
    for (TrainingExample x : xs) {
      h.processElement(x, x.eventTime);
    }
  }

  @Test
  void initialisesCodebooksThenPublishesVersionsAtTheStepCadence() throws Exception {
    TokenizerTrainer trainer = new TokenizerTrainer(options());
    var h = open(trainer, null);

    feed(h, stream(120, 400, 1));

    List<ModelUpdate> updates = h.extractOutputValues();
    assertThat(updates).hasSizeGreaterThanOrEqualTo(3);
    for (int v = 0; v < updates.size(); v++) {
      ModelUpdate u = updates.get(v);
      assertThat(u.version).isEqualTo(v + 1);
      assertThat(u.step).as("k-means init is version 1, then one per 5 steps").isEqualTo(5L * v);
      assertThat(u.heldOutCollisionRate).isBetween(0.0, 1.0);
      try (QuasidModel published = QuasidModel.restore(u.snapshot)) {
        assertThat(published.modelVersion()).isEqualTo(u.version);
        assertThat(published.step()).isEqualTo(u.step);
        assertThat(published.codebooksInitialized()).isTrue();
        assertThat(published.inferenceOnly()).as("assigners get no optimizer state").isTrue();
      }
    }
    assertThat(trainer.heldOutSize()).isPositive();
    // Items i with i % 3 == 2 only ever arrive inside pairs (see stream): the catalogue sample
    // holds the 80 items that arrived as item events, pairs add none.
    assertThat(trainer.catalogueSize()).isEqualTo(80);
    assertThat(trainer.metrics().publishedCount()).isEqualTo(updates.size());
    assertThat(trainer.metrics().rejectedCount()).isZero();
  }

  /**
   * Anchored to the live version, later versions move fewer of the items it placed than the same
   * stream trained free; new items are not held.
   */
  @Test
  void anAnchoredTrainerMovesFewerKnownItemsPerVersion() throws Exception {
    List<TrainingExample> examples = stream(120, 600, 7);
    List<Double> churn = new ArrayList<>();
    for (double weight : new double[] {0.0, 10.0}) {
      TokenizerTrainer trainer =
          new TokenizerTrainer(
              options()
                  .with(FineTuneOptions.ANCHOR_LATENT_WEIGHT, weight)
                  .with(FineTuneOptions.ANCHOR_CODEBOOK_WEIGHT, weight));
      var h = open(trainer, null);
      feed(h, examples);
      List<ModelUpdate> updates = h.extractOutputValues();
      assertThat(updates).hasSizeGreaterThanOrEqualTo(5);
      if (weight > 0) {
        assertThat(trainer.metrics().lastStep().anchorLatent()).isPositive();
      }
      churn.add(meanChurn(updates, examples));
    }
    assertThat(churn.get(1)).as("anchored vs free: %s", churn).isLessThan(churn.get(0));
  }

  /** Mean share of the stream's items whose codes change from one version to the next. */
  private static double meanChurn(List<ModelUpdate> updates, List<TrainingExample> examples)
      throws Exception {
    float[][] items =
        examples.stream().filter(e -> !e.isPair()).map(e -> e.vector).toArray(float[][]::new);
    double sum = 0;
    int[][] previous = null;
    for (ModelUpdate u : updates.subList(1, updates.size())) {
      try (QuasidModel m = QuasidModel.restore(u.snapshot)) {
        int[][] codes = m.encode(items).codes();
        if (previous != null) {
          int moved = 0;
          for (int i = 0; i < codes.length; i++) {
            moved += java.util.Arrays.equals(codes[i], previous[i]) ? 0 : 1;
          }
          sum += moved / (double) codes.length;
        }
        previous = codes;
      }
    }
    return sum / (updates.size() - 2);
  }

  @Test
  void rowsOverTheStepBudgetGoToTheReplayBufferInsteadOfSteps() throws Exception {
    TokenizerTrainer trainer =
        new TokenizerTrainer(options().with(BatchOptions.MAX_STEPS_PER_SECOND, 2.0));
    var h = open(trainer, null);
    List<TrainingExample> examples = stream(120, 400, 1);

    h.setProcessingTime(1_000);
    feed(h, examples.subList(0, 200));
    assertThat(trainer.modelStep()).as("one step within the first 500 ms").isEqualTo(1);
    assertThat(trainer.metrics().deferredCount()).isPositive();

    h.setProcessingTime(1_499);
    feed(h, examples.subList(200, 300));
    assertThat(trainer.modelStep()).isEqualTo(1);

    h.setProcessingTime(1_500);
    feed(h, examples.subList(300, 400));
    assertThat(trainer.modelStep()).as("the budget allows the next step after 500 ms").isEqualTo(2);

    long deferredSteps = trainer.metrics().deferredCount();
    assertThat(h.numProcessingTimeTimers()).as("a timer pays the deferred rows").isEqualTo(1);
    for (long t = 2_000; h.numProcessingTimeTimers() > 0 && t < 1_000_000; t += 500) {
      h.setProcessingTime(t);
    }
    assertThat(trainer.modelStep())
        .as("with no new records, replay-only steps continue at the budget's rate")
        .isGreaterThan(2);
    assertThat(h.numProcessingTimeTimers()).as("no timer once the debt is paid").isZero();
    assertThat(trainer.metrics().deferredCount()).isEqualTo(deferredSteps);
  }

  @Test
  void publishesByProcessingTimeWhenStepCadenceIsOff() throws Exception {
    TokenizerTrainer trainer =
        new TokenizerTrainer(
            options()
                .with(PublishOptions.PUBLISH_EVERY_STEPS, 0)
                .with(PublishOptions.PUBLISH_INTERVAL, Duration.ofSeconds(1)));
    var h = open(trainer, null);
    h.setProcessingTime(0);
    List<TrainingExample> data = stream(120, 400, 8);

    feed(h, data.subList(0, 200));
    assertThat(h.extractOutputValues()).extracting(u -> u.version).containsExactly(1L);
    long stepsBefore = trainer.modelStep();
    assertThat(stepsBefore).as("many steps, but the interval has not passed").isGreaterThan(5);

    h.setProcessingTime(1_000);
    feed(h, data.subList(200, 400));

    List<ModelUpdate> updates = h.extractOutputValues();
    assertThat(updates).extracting(u -> u.version).containsExactly(1L, 2L);
    assertThat(updates.get(1).step)
        .as("offered with the first record after the interval, as steps were made since v1")
        .isEqualTo(stepsBefore);
    assertThat(updates.get(1).publishedAt).isEqualTo(1_000);
  }

  @Test
  void restoredOperatorStateResumesTheSameModelVersionAndStep() throws Exception {
    List<TrainingExample> data = stream(120, 500, 2);
    List<TrainingExample> before = data.subList(0, 230);
    List<TrainingExample> after = data.subList(230, data.size());

    TokenizerTrainer original = new TokenizerTrainer(options());
    var h1 = open(original, null);
    feed(h1, before);
    OperatorSubtaskState checkpoint = h1.snapshot(1L, 1L);
    long version = original.modelVersion();
    long step = original.modelStep();
    int replayed = original.replaySize();
    int catalogued = original.catalogueSize();
    assertThat(version).isPositive();
    assertThat(step).isPositive();
    h1.getOutput().clear();
    feed(h1, after);

    TokenizerTrainer restored = new TokenizerTrainer(options());
    var h2 = open(restored, checkpoint);
    assertThat(restored.modelVersion()).isEqualTo(version);
    assertThat(restored.modelStep()).isEqualTo(step);
    assertThat(restored.replaySize()).isEqualTo(replayed);
    assertThat(restored.catalogueSize()).isEqualTo(catalogued).isPositive();
    feed(h2, after);

    List<ModelUpdate> expected = h1.extractOutputValues();
    List<ModelUpdate> resumed = h2.extractOutputValues();
    assertThat(expected).isNotEmpty();
    assertThat(resumed)
        .extracting(u -> u.version)
        .isEqualTo(expected.stream().map(u -> u.version).toList());
    assertThat(resumed)
        .extracting(u -> u.step)
        .isEqualTo(expected.stream().map(u -> u.step).toList());
    assertThat(resumed)
        .extracting(u -> u.heldOutCollisionRate)
        .as("same weights, buffers and draws give the same candidates")
        .isEqualTo(expected.stream().map(u -> u.heldOutCollisionRate).toList());
    assertThat(restored.modelStep()).isEqualTo(original.modelStep());
  }

  @Test
  void nonFiniteStepsAreSkippedAndTheirRowsDroppedWithoutHarmingTheModel() throws Exception {
    TokenizerTrainer trainer = new TokenizerTrainer(options());
    var h = open(trainer, null);
    feed(h, stream(120, 60, 3));
    assertThat(h.extractOutputValues()).extracting(u -> u.version).containsExactly(1L);
    long liveStep = trainer.modelStep();

    // Finite but absurd features overflow the reconstruction loss to infinity.
    List<TrainingExample> poison = new ArrayList<>();
    for (int n = 0; n < 100; n++) {
      float[] huge = new float[DIM];
      Arrays.fill(huge, 1e30f * (n % 2 == 0 ? 1 : -1));
      poison.add(TrainingExample.pair("p" + n, huge, null, "q" + n, huge, null, 1_000 + n));
    }
    feed(h, poison);

    assertThat(h.extractOutputValues()).extracting(u -> u.version).containsExactly(1L);
    assertThat(trainer.modelStep())
        .as("skipped steps do not advance the model")
        .isEqualTo(liveStep);
    assertThat(trainer.metrics().droppedCount())
        .as("poisoned rows kept out of replay")
        .isPositive();
    assertThat(trainer.metrics().rejectedCount()).isZero();
    assertThat(trainer.modelVersion()).isEqualTo(1L);

    h.getOutput().clear();
    feed(h, stream(120, 200, 4));
    List<ModelUpdate> recovered = h.extractOutputValues();
    assertThat(recovered).isNotEmpty();
    assertThat(recovered.get(0).version).as("no version burnt").isEqualTo(2L);
    assertThat(recovered.get(0).step).isGreaterThan(liveStep);
  }

  @Test
  void candidateWorseThanTheLiveVersionIsRejectedAndTrainingGoesOn() throws Exception {
    // A tolerance of -1 demands a collision rate 1.0 below the live one: impossible.
    TokenizerTrainer trainer =
        new TokenizerTrainer(options().with(PublishOptions.COLLISION_TOLERANCE, -1.0));
    var h = open(trainer, null);

    feed(h, stream(120, 300, 5));

    assertThat(h.extractOutputValues()).extracting(u -> u.version).containsExactly(1L);
    assertThat(trainer.metrics().rejectedCount()).isGreaterThanOrEqualTo(2);
    assertThat(trainer.metrics().rejectedCount(QualityGate.Criterion.COLLISIONS))
        .isEqualTo(trainer.metrics().rejectedCount());
    assertThat(trainer.metrics().rollbackCount()).isZero();
    assertThat(trainer.modelStep()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void aCandidateThatWouldMoveMoreItemsThanTheChurnBudgetIsRejected() throws Exception {
    // A zero budget refuses any candidate that changes a single item's codes.
    TokenizerTrainer trainer =
        new TokenizerTrainer(options().with(PublishOptions.CHURN_BUDGET, 0.0));
    var h = open(trainer, null);

    feed(h, stream(120, 300, 5));

    assertThat(h.extractOutputValues()).extracting(u -> u.version).containsExactly(1L);
    assertThat(trainer.metrics().rejectedCount(QualityGate.Criterion.CHURN)).isPositive();
    assertThat(trainer.metrics().rejectedCount(QualityGate.Criterion.COLLISIONS)).isZero();
    assertThat(trainer.modelStep()).as("training goes on").isGreaterThanOrEqualTo(10);
  }

  @Test
  void aCandidateLessCoherentThanTheLiveVersionBeyondTheToleranceIsRejected() throws Exception {
    // The same stream twice: only the coherence tolerance differs (collisions and churn are free).
    TokenizerTrainer strict =
        new TokenizerTrainer(options().with(PublishOptions.COHERENCE_TOLERANCE, 0.0));
    feed(open(strict, null), stream(120, 300, 5));
    TokenizerTrainer lenient = new TokenizerTrainer(options());
    feed(open(lenient, null), stream(120, 300, 5));

    assertThat(strict.metrics().rejectedCount(QualityGate.Criterion.COHERENCE)).isPositive();
    assertThat(strict.metrics().rejectedCount(QualityGate.Criterion.COLLISIONS)).isZero();
    assertThat(strict.metrics().rejectedCount(QualityGate.Criterion.CHURN)).isZero();
    assertThat(lenient.metrics().rejectedCount(QualityGate.Criterion.COHERENCE)).isZero();
    assertThat(strict.modelVersion()).isLessThan(lenient.modelVersion());
  }

  @Test
  void theGateMeasuresCoherenceOnTheReplayedPairs() throws Exception {
    TokenizerTrainer trainer = new TokenizerTrainer(options());
    var h = open(trainer, null);

    feed(h, stream(120, 300, 5));

    assertThat(trainer.metrics().lastGateCoherence()).as("pairs were measured").isBetween(0.0, 1.0);
  }

  @Test
  void versionsAreExportedOnceTheirCheckpointCompletesAndLostOnesNever(@TempDir Path dir)
      throws Exception {
    Path exports = dir.resolve("versions");
    TrainingOptions exporting = options().with(PublishOptions.EXPORT_DIR, exports.toString());
    List<TrainingExample> data = stream(120, 400, 3);
    TokenizerTrainer trainer = new TokenizerTrainer(exporting);
    var h = open(trainer, null);

    feed(h, data.subList(0, 60));
    assertThat(h.extractOutputValues()).extracting(u -> u.version).containsExactly(1L);
    assertThat(exports).doesNotExist();

    OperatorSubtaskState checkpoint = h.snapshot(1L, 1L);
    feed(h, data.subList(60, 400));
    assertThat(trainer.modelVersion()).isGreaterThan(1);
    h.notifyOfCompletedCheckpoint(1L);
    assertThat(exports.resolve("quasid-v000001.snapshot")).exists();
    assertThat(exports.resolve("quasid-v000002.snapshot"))
        .as("published after checkpoint 1, so not yet")
        .doesNotExist();

    // A failure before checkpoint 2: the restored trainer has version 1 and writes nothing new.
    TokenizerTrainer restored = new TokenizerTrainer(exporting);
    open(restored, checkpoint);
    assertThat(restored.modelVersion()).isEqualTo(1);
    try (var files = Files.list(exports)) {
      assertThat(files)
          .extracting(p -> p.getFileName().toString())
          .containsExactly("quasid-v000001.snapshot");
    }
  }

  @Test
  void exportsOfACheckpointWhoseCompletionNoticeWasLostAreWrittenOnRestore(@TempDir Path dir)
      throws Exception {
    Path exports = dir.resolve("versions");
    TrainingOptions exporting = options().with(PublishOptions.EXPORT_DIR, exports.toString());
    var h = open(new TokenizerTrainer(exporting), null);
    feed(h, stream(120, 60, 4));
    OperatorSubtaskState checkpoint = h.snapshot(1L, 1L);

    open(new TokenizerTrainer(exporting), checkpoint);

    assertThat(exports.resolve("quasid-v000001.snapshot")).exists();
  }

  @Test
  void deletedItemsLeaveTheCatalogueAndGateSamples() throws Exception {
    TrainingOptions everyItemInTheGate = options().with(BatchOptions.HELD_OUT_FRACTION, 1.0);
    TokenizerTrainer trainer = new TokenizerTrainer(everyItemInTheGate);
    var h = open(trainer, null);
    feed(h, stream(30, 30, 8));
    int catalogued = trainer.catalogueSize();
    int gated = trainer.heldOutSize();

    h.processElement(TrainingExample.deletion("i0", 100), 100);
    h.processElement(TrainingExample.deletion("never-seen", 101), 101);

    assertThat(trainer.catalogueSize()).isEqualTo(catalogued - 1);
    assertThat(trainer.heldOutSize()).isEqualTo(gated - 1);
    assertThat(trainer.metrics().droppedCount()).as("a deletion is not malformed").isZero();
  }

  @Test
  void warmStartPublishesTheLoadedModelAsTheNextVersion(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("model.snapshot");
    try (QuasidModel model = QuasidModel.create(MODEL)) {
      model.initCodebooks(stream(40, 40, 6).stream().map(e -> e.vector).toArray(float[][]::new));
      model.bumpVersion();
      model.bumpVersion();
      Files.write(file, model.snapshot().bytes());
    }
    TokenizerTrainer trainer =
        new TokenizerTrainer(options().with(FineTuneOptions.WARM_START, file.toString()));
    var h = open(trainer, null);

    feed(h, stream(40, 1, 7));

    assertThat(h.extractOutputValues()).extracting(u -> u.version).containsExactly(3L);
  }

  @Test
  void warmStartFromTheAssignersInitialModelIsLiveAlreadyAndNotPublishedAgain(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("model.snapshot");
    try (QuasidModel model = QuasidModel.create(MODEL)) {
      float[][] rows = stream(40, 40, 6).stream().map(e -> e.vector).toArray(float[][]::new);
      model.initCodebooks(rows);
      for (int i = 0; i < 12; i++) { // more steps than publish-every-steps (5)
        model.trainStep(TrainBatches.of(stream(40, 40, 6).subList(0, 32)));
      }
      model.bumpVersion();
      Files.write(file, model.snapshot().bytes());
    }
    // No training.warm-start: it falls back to model.snapshot, the assigners' initial model.
    TokenizerTrainer trainer =
        new TokenizerTrainer(
            options()
                .with(ModelOptions.MODEL_SNAPSHOT, file.toString())
                .with(PublishOptions.PUBLISH_INTERVAL, Duration.ofSeconds(30)));
    var h = open(trainer, null);
    h.setProcessingTime(100_000);

    feed(h, stream(40, 48, 7)); // a few steps, fewer than publish-every-steps

    assertThat(h.extractOutputValues())
        .as("v1 is what the assigners run; the cadence counts from the warm start")
        .isEmpty();
    assertThat(trainer.modelVersion()).isEqualTo(1L);
    assertThat(trainer.metrics().publishedCount() + trainer.metrics().rejectedCount())
        .as("no candidate offered before the cadence is due")
        .isZero();
  }

  @Test
  void refusesToRunWithParallelismAboveOne() throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new TokenizerTrainer(options())),
            e -> TokenizerTrainer.KEY,
            Types.BYTE,
            2,
            2,
            0);
    harnesses.add(h);
    h.initializeEmptyState();
    assertThatThrownBy(h::open)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("parallelism 1");
  }

  @Test
  void malformedExamplesAreDroppedNotFatal() throws Exception {
    TokenizerTrainer trainer = new TokenizerTrainer(options());
    var h = open(trainer, null);

    h.processElement(TrainingExample.item("short", new float[] {1f}, null, 0), 0);
    float[] nan = new float[DIM];
    nan[3] = Float.NaN;
    h.processElement(TrainingExample.item("nan", nan, null, 1), 1);

    assertThat(trainer.metrics().droppedCount()).isEqualTo(2);
    assertThat(trainer.replaySize() + trainer.heldOutSize()).isZero();
  }
}
