package io.quasid.job.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The trainer's samples (thousands of examples with their vectors) as one byte array, so a
 * checkpoint writes them in one bulk write. As lists of POJOs the operator-state serializer wrote
 * them field by field, byte by byte, at every checkpoint: the streaming benchmark's profile of the
 * training-on job found that the largest single cost of the job's Java threads, above any operator.
 */
final class TrainingExampleCodec {

  private static final int FORMAT = 1;

  private TrainingExampleCodec() {}

  static byte[] encode(List<TrainingExample> examples) {
    DataOutputSerializer out = new DataOutputSerializer(64 + examples.size() * 128);
    try {
      out.writeInt(FORMAT);
      out.writeInt(examples.size());
      for (TrainingExample e : examples) {
        writeString(out, e.itemId);
        writeVector(out, e.vector);
        writeString(out, e.groupId);
        writeString(out, e.targetItemId);
        writeVector(out, e.targetVector);
        writeString(out, e.targetGroupId);
        out.writeLong(e.eventTime);
        out.writeBoolean(e.deleted);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory buffer grows instead of failing
    }
    return out.getCopyOfBuffer();
  }

  static List<TrainingExample> decode(byte[] bytes) {
    DataInputDeserializer in = new DataInputDeserializer(bytes);
    try {
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IllegalStateException("unknown trainer sample format " + format);
      }
      int n = in.readInt();
      List<TrainingExample> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        TrainingExample e = new TrainingExample();
        e.itemId = readString(in);
        e.vector = readVector(in);
        e.groupId = readString(in);
        e.targetItemId = readString(in);
        e.targetVector = readVector(in);
        e.targetGroupId = readString(in);
        e.eventTime = in.readLong();
        e.deleted = in.readBoolean();
        out.add(e);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("corrupt trainer samples in the checkpoint", e);
    }
  }

  private static void writeString(DataOutputSerializer out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8); // writeUTF stops at 64 KiB
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputDeserializer in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] utf8 = new byte[n];
    in.readFully(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static void writeVector(DataOutputSerializer out, float[] v) throws IOException {
    out.writeInt(v == null ? -1 : v.length);
    if (v != null) {
      for (float x : v) {
        out.writeFloat(x);
      }
    }
  }

  private static float[] readVector(DataInputDeserializer in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readFloat();
    }
    return v;
  }
}
