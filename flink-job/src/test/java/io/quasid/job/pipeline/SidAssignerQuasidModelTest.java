package io.quasid.job.pipeline;

import static io.quasid.job.pipeline.StateProbe.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.job.config.InputOptions;
import io.quasid.job.config.ModelOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.ModelUpdate;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assigner with the real TensorFlow QuasidModel: its codes are exactly the model's. */
class SidAssignerQuasidModelTest {

  private static final int ITEMS = 40;
  private static final int DIM = 8;

  private static QuasidModel model(long seed, float[][] sample) {
    QuasidModel m =
        QuasidModel.create(
            QuasidConfig.builder(DIM)
                .encoderHidden(16)
                .latentDim(4)
                .levels(2)
                .codebookSize(4)
                .kmeansIterations(3)
                .seed(seed)
                .build());
    m.initCodebooks(sample);
    return m;
  }

  private static KeyedTwoInputStreamOperatorTestHarness<
          String, ItemFeature, ModelUpdate, BucketChange>
      harness(SidTokenizerFactory factory, int vectorDim) throws Exception {
    return new KeyedTwoInputStreamOperatorTestHarness<>(
        new SidAssigner(factory, ChurnPolicy.always(), 16, 10, 7, 0.5, vectorDim),
        (ItemFeature f) -> f.itemId,
        (ModelUpdate u) -> "",
        Types.STRING);
  }

  private static float[][] randomVectors(int n) {
    Random random = new Random(7);
    float[][] vectors = new float[n][DIM];
    for (float[] v : vectors) {
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) random.nextGaussian();
      }
    }
    return vectors;
  }

  @Test
  void newItemsGetTheLiveModelsCodesAndANewVersionReencodesAllOfThem(@TempDir Path dir)
      throws Exception {
    float[][] vectors = randomVectors(ITEMS);
    int[][] initialCodes;
    int[][] nextCodes;
    ModelUpdate update;
    Path snapshot = dir.resolve("initial.snapshot");
    try (QuasidModel initial = model(1, vectors);
        QuasidModel next = model(2, vectors)) {
      Files.write(snapshot, initial.snapshot().bytes());
      initialCodes = initial.encode(vectors).codes();
      long version = next.bumpVersion();
      update = new ModelUpdate(version, next.step(), next.snapshot().bytes(), 9_000, 0.0);
      nextCodes = next.encode(vectors).codes();
    }
    QuasidJobOptions options =
        QuasidJobOptions.defaults()
            .with(InputOptions.VECTOR_DIM, DIM)
            .with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString());

    try (var harness = harness(new QuasidTokenizerFactory(options), DIM)) {
      harness.setStateBackend(new EmbeddedRocksDBStateBackend());
      harness.open();
      for (int i = 0; i < ITEMS; i++) {
        harness.processElement1(
            new StreamRecord<>(ItemFeature.upsert("i" + i, vectors[i], null, 100)));
      }
      harness.setProcessingTime(1_000); // flush timer
      List<BucketChange> joins = harness.extractOutputValues();
      assertThat(joins).hasSize(ITEMS);
      for (int i = 0; i < ITEMS; i++) {
        assertThat(joins.get(i).codes).as("item %d", i).containsExactly(initialCodes[i]);
      }
      harness.getOutput().clear();

      harness.processElement2(new StreamRecord<>(update));
      // Re-encoding slices; each waits about as long as the previous took (reencode-share 0.5).
      for (long t = 1_001; t < 400_000; t += 500) {
        harness.setProcessingTime(t);
      }

      long changed = 0;
      for (int i = 0; i < ITEMS; i++) {
        assertThat(state(harness, "i" + i, SidAssigner.ITEM).value().codes.codes)
            .containsExactly(nextCodes[i]);
        changed += Arrays.equals(initialCodes[i], nextCodes[i]) ? 0 : 1;
      }
      List<BucketChange> out = harness.extractOutputValues();
      assertThat(out.stream().filter(c -> c.kind == BucketChange.Kind.JOIN).count())
          .isEqualTo(changed);
      assertThat(out.stream().filter(c -> c.kind == BucketChange.Kind.LEAVE).count())
          .isEqualTo(changed);
      assertThat(out).allSatisfy(c -> assertThat(c.causeEventTime).isEqualTo(9_000));
    }
  }

  @Test
  void aModelTrainedOnOtherFeaturesIsRefusedAtSubmission(@TempDir Path dir) throws Exception {
    Path snapshot = dir.resolve("other-features.snapshot");
    QuasidConfig otherEncoder =
        QuasidConfig.builder(DIM)
            .encoderHidden(16)
            .latentDim(4)
            .levels(2)
            .codebookSize(4)
            .featureSpace("some-other-encoder")
            .build();
    try (QuasidModel other = QuasidModel.create(otherEncoder)) {
      Files.write(snapshot, other.snapshot().bytes());
    }
    QuasidTokenizerFactory factory =
        new QuasidTokenizerFactory(
            QuasidJobOptions.defaults()
                .with(InputOptions.VECTOR_DIM, DIM)
                .with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString()));

    assertThatThrownBy(() -> factory.requireFeatureSpace("all-minilm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "trained on features 'some-other-encoder' but the job feeds it 'all-minilm'");
    factory.requireFeatureSpace("some-other-encoder");
  }

  @Test
  void aModelOfAnotherInputSizeIsRefusedAtSubmissionAndInOpen(@TempDir Path dir) throws Exception {
    Path snapshot = dir.resolve("other-dim.snapshot");
    try (QuasidModel other = model(1, randomVectors(ITEMS))) {
      Files.write(snapshot, other.snapshot().bytes());
    }
    QuasidJobOptions options =
        QuasidJobOptions.defaults()
            .with(InputOptions.VECTOR_DIM, DIM + 1)
            .with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString());
    QuasidTokenizerFactory factory = new QuasidTokenizerFactory(options);

    assertThatThrownBy(() -> factory.requireInputDim(DIM + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("takes " + DIM + "-dimensional input but vector.dim is " + (DIM + 1));

    try (var harness = harness(factory, DIM + 1)) {
      assertThatThrownBy(harness::open)
          .hasMessageContaining("initial model takes " + DIM + "-dimensional input");
    }
  }
}
