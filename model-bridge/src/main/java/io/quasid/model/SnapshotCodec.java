package io.quasid.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Self-describing binary form of a {@link ModelState}: magic, format version, flags, config,
 * counters, dead-code state, then every variable as (name, length, floats). Readers reject unknown
 * formats and flags instead of guessing.
 *
 * <p>Formats: 1 the first; 2 adds the codebook learning rate to the config; 3 adds the per-Hamming
 * partial schedule to the config and the count of skipped (non-finite) steps after the version; 4
 * adds a flags word after the format version. Flag {@link #FLAG_INFERENCE_ONLY}: the snapshot holds
 * only the variables encoding reads (encoder and codebooks) and no dead-code state.
 */
final class SnapshotCodec {

  static final int MAGIC = 0x51534944; // "QSID"
  static final int FORMAT_VERSION = 6;
  static final int OLDEST_READABLE_FORMAT = 1;

  /**
   * Format 4 flag: no decoder, no optimizer state, no dead-code state; encodes but cannot train.
   */
  static final int FLAG_INFERENCE_ONLY = 1;

  private static final int KNOWN_FLAGS = FLAG_INFERENCE_ONLY;

  private SnapshotCodec() {}

  static byte[] encode(ModelState state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeInt(state.inferenceOnly() ? FLAG_INFERENCE_ONLY : 0);
      ConfigCodec.write(state.config(), out);
      out.writeLong(state.step());
      out.writeLong(state.modelVersion());
      out.writeLong(state.skippedSteps());
      out.writeBoolean(state.codebooksInitialized());
      if (!state.inferenceOnly()) {
        state.deadCodes().write(out);
      }
      out.writeInt(state.variables().size());
      for (Map.Entry<String, float[]> e : state.variables().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (float v : e.getValue()) {
          out.writeFloat(v);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static ModelState decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException("not a QuaSID snapshot (bad magic)");
      }
      int format = in.readInt();
      if (format < OLDEST_READABLE_FORMAT || format > FORMAT_VERSION) {
        throw new IllegalArgumentException(
            "unsupported QuaSID snapshot format "
                + format
                + " (this build reads "
                + OLDEST_READABLE_FORMAT
                + " to "
                + FORMAT_VERSION
                + ")");
      }
      int flags = format >= 4 ? in.readInt() : 0;
      if ((flags & ~KNOWN_FLAGS) != 0) {
        throw new IllegalArgumentException(
            "unsupported QuaSID snapshot flags 0x" + Integer.toHexString(flags));
      }
      boolean inferenceOnly = (flags & FLAG_INFERENCE_ONLY) != 0;
      QuasidConfig config = ConfigCodec.read(in, format);
      long step = in.readLong();
      long version = in.readLong();
      long skipped = format >= 3 ? in.readLong() : 0L;
      boolean initialized = in.readBoolean();
      DeadCodeTracker deadCodes =
          inferenceOnly
              ? new DeadCodeTracker(config.levels(), config.codebookSize())
              : DeadCodeTracker.read(in);
      int count = in.readInt();
      Map<String, float[]> variables = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        float[] values = new float[in.readInt()];
        for (int j = 0; j < values.length; j++) {
          values[j] = in.readFloat();
        }
        variables.put(name, values);
      }
      return new ModelState(
          config, step, version, skipped, initialized, deadCodes, variables, inferenceOnly);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated or corrupt QuaSID snapshot", e);
    }
  }
}
