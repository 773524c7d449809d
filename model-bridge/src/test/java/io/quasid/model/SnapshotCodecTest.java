package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

  @Test
  void roundTripsEveryField() {
    QuasidConfig config =
        QuasidConfig.builder(12)
            .encoderHidden(7, 5)
            .latentDim(3)
            .levels(4)
            .codebookSize(9)
            .partialRadius(2)
            .seed(-3)
            .masking(false)
            .maskNearDuplicates(true)
            .temperature(0.07f)
            .codebookLearningRate(0.03f)
            .partialSchedule(new float[] {0.7f, 0.45f}, new float[] {1f, 0.5f})
            .maskSameGroup(true)
            .device("/gpu:0")
            .intraOpThreads(3)
            .featureSpace("all-minilm-l6-v2-q")
            .lossScale(QuasidConfig.LossScale.ELEMENT_MEAN)
            .detachDeepResiduals(true)
            .contrastiveNegatives(QuasidConfig.ContrastiveNegatives.BATCH)
            .build();
    ModelState state =
        new ModelState(
            config, 17, 4, 2, true, new DeadCodeTracker(4, 9), Map.of("w", new float[] {1.5f, -2}));
    ModelState back = SnapshotCodec.decode(SnapshotCodec.encode(state));
    assertThat(back.config()).usingRecursiveComparison().isEqualTo(config);
    assertThat(Arrays.equals(back.config().encoderHidden(), new int[] {7, 5})).isTrue();
    assertThat(back.step()).isEqualTo(17);
    assertThat(back.modelVersion()).isEqualTo(4);
    assertThat(back.skippedSteps()).isEqualTo(2);
    assertThat(back.config().partialMargins()).containsExactly(0.7f, 0.45f);
    assertThat(back.config().partialWeights()).containsExactly(1f, 0.5f);
    assertThat(back.config().maskSameGroup()).isTrue();
    assertThat(back.config().featureSpace()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(back.config().lossScale()).isEqualTo(QuasidConfig.LossScale.ELEMENT_MEAN);
    assertThat(back.config().detachDeepResiduals()).isTrue();
    assertThat(back.config().contrastiveNegatives())
        .isEqualTo(QuasidConfig.ContrastiveNegatives.BATCH);
    assertThat(back.codebooksInitialized()).isTrue();
    assertThat(back.variables().get("w")).containsExactly(1.5f, -2f);
  }

  @Test
  void readsFormatOneSnapshotsWithCodebooksAtTheEncodersLearningRate() throws IOException {
    QuasidConfig config = QuasidConfig.builder(12).encoderHidden(7, 5).learningRate(2e-3f).build();
    ModelState back = SnapshotCodec.decode(legacySnapshot(config, 1, 3, 1));
    assertThat(back.config().codebookLearningRate()).isEqualTo(2e-3f);
    assertThat(
            back.config().toBuilder().codebookLearningRate(config.codebookLearningRate()).build())
        .usingRecursiveComparison()
        .isEqualTo(config);
    assertThat(back.step()).isEqualTo(3);
    assertThat(back.skippedSteps()).isZero();
  }

  @Test
  void readsFormatTwoSnapshotsWithoutScheduleAndWithTheirStoredGroupMask() throws IOException {
    // Format-2 snapshots were written when the group mask defaulted to on; they keep it.
    QuasidConfig config =
        QuasidConfig.builder(12)
            .encoderHidden(7, 5)
            .levels(3)
            .partialRadius(2)
            .maskSameGroup(true)
            .codebookLearningRate(0.02f)
            .build();
    ModelState back = SnapshotCodec.decode(legacySnapshot(config, 2, 8, 2));
    assertThat(back.config()).usingRecursiveComparison().isEqualTo(config);
    assertThat(back.config().maskSameGroup()).isTrue();
    assertThat(back.config().hasPartialSchedule()).isFalse();
    assertThat(back.step()).isEqualTo(8);
    assertThat(back.modelVersion()).isEqualTo(2);
    assertThat(back.skippedSteps()).isZero();
    assertThat(back.variables().get("w")).containsExactly(0.5f);
  }

  @Test
  void readsFormatThreeSnapshotsAsFullStates() throws IOException {
    QuasidConfig config =
        QuasidConfig.builder(12)
            .encoderHidden(7, 5)
            .partialRadius(2)
            .partialSchedule(new float[] {0.7f, 0.45f}, new float[] {1f, 0.5f})
            .build();
    ModelState back = SnapshotCodec.decode(legacySnapshot(config, 3, 5, 2));
    assertThat(back.config()).usingRecursiveComparison().isEqualTo(config);
    assertThat(back.step()).isEqualTo(5);
    assertThat(back.modelVersion()).isEqualTo(2);
    assertThat(back.skippedSteps()).isEqualTo(4);
    assertThat(back.inferenceOnly()).isFalse();
    assertThat(back.variables().get("w")).containsExactly(0.5f);
  }

  @Test
  void inferenceOnlyStatesCarryTheFlagAndNoDeadCodeState() {
    QuasidConfig config = QuasidConfig.builder(12).encoderHidden(7, 5).build();
    Map<String, float[]> variables = Map.of("w", new float[] {1.5f, -2});
    DeadCodeTracker deadCodes = new DeadCodeTracker(config.levels(), config.codebookSize());
    byte[] full =
        SnapshotCodec.encode(new ModelState(config, 9, 3, 1, true, deadCodes, variables, false));
    byte[] inference =
        SnapshotCodec.encode(new ModelState(config, 9, 3, 1, true, deadCodes, variables, true));
    assertThat(full.length - inference.length)
        .isEqualTo(8 + 8 * config.levels() * config.codebookSize());
    ModelState back = SnapshotCodec.decode(inference);
    assertThat(back.inferenceOnly()).isTrue();
    assertThat(back.config()).usingRecursiveComparison().isEqualTo(config);
    assertThat(back.step()).isEqualTo(9);
    assertThat(back.modelVersion()).isEqualTo(3);
    assertThat(back.skippedSteps()).isEqualTo(1);
    assertThat(back.codebooksInitialized()).isTrue();
    assertThat(back.variables().get("w")).containsExactly(1.5f, -2f);
    assertThat(SnapshotCodec.decode(full).inferenceOnly()).isFalse();
  }

  @Test
  void rejectsUnknownFlags() {
    byte[] bytes =
        SnapshotCodec.encode(
            new ModelState(
                QuasidConfig.builder(4).build(),
                0,
                0,
                0,
                false,
                new DeadCodeTracker(3, 256),
                Map.of()));
    bytes[11] = 6; // flags word, big-endian, after magic and format
    assertThatThrownBy(() -> SnapshotCodec.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flags 0x6");
  }

  @Test
  void readsFormatFourSnapshotsWithAnUnknownFeatureSpace() throws IOException {
    QuasidConfig config = QuasidConfig.builder(12).encoderHidden(7, 5).build();
    ModelState back = SnapshotCodec.decode(legacySnapshot(config, 4, 5, 2));
    assertThat(back.config()).usingRecursiveComparison().isEqualTo(config);
    assertThat(back.config().featureSpace()).isEmpty();
  }

  @Test
  void readsFormatFiveSnapshotsWithTheOnlyLossRecipeTheyHad() throws IOException {
    QuasidConfig config = QuasidConfig.builder(12).encoderHidden(7, 5).featureSpace("f").build();
    ModelState back = SnapshotCodec.decode(legacySnapshot(config, 5, 5, 2));
    assertThat(back.config()).usingRecursiveComparison().isEqualTo(config);
    assertThat(back.config().lossScale()).isEqualTo(QuasidConfig.LossScale.ROW_SUM);
    assertThat(back.config().detachDeepResiduals()).isFalse();
    assertThat(back.config().contrastiveNegatives())
        .isEqualTo(QuasidConfig.ContrastiveNegatives.PAIRS);
  }

  /** A snapshot laid out as format 1 to 5 wrote it (config fields in their order then). */
  private static byte[] legacySnapshot(QuasidConfig c, int format, long step, long version)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(SnapshotCodec.MAGIC);
      out.writeInt(format);
      if (format >= 4) {
        out.writeInt(0); // flags
      }
      out.writeInt(c.inputDim());
      out.writeInt(c.encoderHidden().length);
      for (int h : c.encoderHidden()) {
        out.writeInt(h);
      }
      out.writeInt(c.latentDim());
      out.writeInt(c.levels());
      out.writeInt(c.codebookSize());
      out.writeFloat(c.beta());
      out.writeFloat(c.learningRate());
      if (format >= 2) {
        out.writeFloat(c.codebookLearningRate());
      }
      out.writeLong(c.seed());
      out.writeBoolean(c.contrastive());
      out.writeFloat(c.lambdaContrastive());
      out.writeFloat(c.temperature());
      out.writeBoolean(c.repulsion());
      out.writeBoolean(c.masking());
      out.writeFloat(c.lambdaFull());
      out.writeFloat(c.lambdaPartial());
      out.writeFloat(c.marginFull());
      out.writeFloat(c.marginPartial());
      out.writeInt(c.partialRadius());
      out.writeBoolean(c.maskSameGroup());
      out.writeBoolean(c.maskNearDuplicates());
      out.writeFloat(c.nearDuplicateCosine());
      out.writeInt(c.deadCodeSteps());
      out.writeInt(c.kmeansIterations());
      out.writeUTF(c.device());
      out.writeInt(c.intraOpThreads());
      out.writeInt(c.interOpThreads());
      if (format >= 3) {
        writeFloats(c.partialMargins(), out);
        writeFloats(c.partialWeights(), out);
      }
      if (format >= 5) {
        out.writeUTF(c.featureSpace());
      }
      out.writeLong(step);
      out.writeLong(version);
      if (format >= 3) {
        out.writeLong(4); // skipped steps
      }
      out.writeBoolean(true);
      new DeadCodeTracker(c.levels(), c.codebookSize()).write(out);
      out.writeInt(1);
      out.writeUTF("w");
      out.writeInt(1);
      out.writeFloat(0.5f);
    }
    return bytes.toByteArray();
  }

  private static void writeFloats(float[] values, DataOutputStream out) throws IOException {
    out.writeInt(values.length);
    for (float v : values) {
      out.writeFloat(v);
    }
  }

  @Test
  void rejectsFormatsFromTheFuture() {
    byte[] bytes =
        SnapshotCodec.encode(
            new ModelState(
                QuasidConfig.builder(4).build(),
                0,
                0,
                0,
                false,
                new DeadCodeTracker(3, 256),
                Map.of()));
    bytes[7] = 9;
    assertThatThrownBy(() -> SnapshotCodec.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format 9");
  }

  @Test
  void rejectsForeignBytes() {
    assertThatThrownBy(() -> SnapshotCodec.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("magic");
  }
}
