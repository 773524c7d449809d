package io.quasid.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes every field of a {@link QuasidConfig} in a fixed order (part of the snapshot format).
 * Format 1 predates {@code codebookLearningRate}: such snapshots trained codebooks at the encoder's
 * rate and are read back that way. Format 3 appends the per-Hamming partial schedule ({@code
 * partialMargins}, {@code partialWeights}); older formats read back without one, as they were
 * trained. Format 5 appends {@code featureSpace} (older formats read back with "", unknown). Format
 * 6 appends {@code lossScale}, {@code detachDeepResiduals} and {@code contrastiveNegatives} (older
 * formats read back as ROW_SUM, false and PAIRS, the only recipe they had). Every format stores
 * {@code maskSameGroup} explicitly, so a snapshot keeps the mask it was trained with whatever
 * today's default is.
 */
final class ConfigCodec {

  private ConfigCodec() {}

  static void write(QuasidConfig c, DataOutput out) throws IOException {
    out.writeInt(c.inputDim());
    int[] hidden = c.encoderHidden();
    out.writeInt(hidden.length);
    for (int h : hidden) {
      out.writeInt(h);
    }
    out.writeInt(c.latentDim());
    out.writeInt(c.levels());
    out.writeInt(c.codebookSize());
    out.writeFloat(c.beta());
    out.writeFloat(c.learningRate());
    out.writeFloat(c.codebookLearningRate());
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
    writeFloats(c.partialMargins(), out);
    writeFloats(c.partialWeights(), out);
    out.writeUTF(c.featureSpace());
    out.writeUTF(c.lossScale().name());
    out.writeBoolean(c.detachDeepResiduals());
    out.writeUTF(c.contrastiveNegatives().name());
  }

  private static void writeFloats(float[] values, DataOutput out) throws IOException {
    out.writeInt(values.length);
    for (float v : values) {
      out.writeFloat(v);
    }
  }

  private static float[] readFloats(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1 << 16) {
      throw new IOException("implausible array length " + n);
    }
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = in.readFloat();
    }
    return values;
  }

  private static <E extends Enum<E>> E readEnum(DataInput in, Class<E> type, String what)
      throws IOException {
    String name = in.readUTF();
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown " + what + " '" + name + "' in snapshot", e);
    }
  }

  static QuasidConfig read(DataInput in, int format) throws IOException {
    QuasidConfig.Builder b = QuasidConfig.builder(in.readInt());
    int[] hidden = new int[in.readInt()];
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = in.readInt();
    }
    b.encoderHidden(hidden)
        .latentDim(in.readInt())
        .levels(in.readInt())
        .codebookSize(in.readInt())
        .beta(in.readFloat());
    float learningRate = in.readFloat();
    b.learningRate(learningRate).codebookLearningRate(format >= 2 ? in.readFloat() : learningRate);
    b.seed(in.readLong())
        .contrastive(in.readBoolean())
        .lambdaContrastive(in.readFloat())
        .temperature(in.readFloat())
        .repulsion(in.readBoolean())
        .masking(in.readBoolean())
        .lambdaFull(in.readFloat())
        .lambdaPartial(in.readFloat())
        .marginFull(in.readFloat())
        .marginPartial(in.readFloat())
        .partialRadius(in.readInt())
        .maskSameGroup(in.readBoolean())
        .maskNearDuplicates(in.readBoolean())
        .nearDuplicateCosine(in.readFloat())
        .deadCodeSteps(in.readInt())
        .kmeansIterations(in.readInt())
        .device(in.readUTF())
        .intraOpThreads(in.readInt())
        .interOpThreads(in.readInt());
    if (format >= 3) {
      b.partialSchedule(readFloats(in), readFloats(in));
    }
    if (format >= 5) {
      b.featureSpace(in.readUTF());
    }
    if (format >= 6) {
      b.lossScale(readEnum(in, QuasidConfig.LossScale.class, "loss scale"));
      b.detachDeepResiduals(in.readBoolean());
      b.contrastiveNegatives(
          readEnum(in, QuasidConfig.ContrastiveNegatives.class, "contrastive negatives"));
    }
    return b.build();
  }
}
