package io.quasid.client;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.AvroWireException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table snapshot file: the topic, the next offset of every partition, and the index state (live
 * records as Avro single-object values, the revisions of deleted items, the migrations), with a
 * CRC-32 trailer. Written to a temporary file, forced to disk, and moved into place (the directory
 * forced too), so a crash or power cut mid-write leaves the previous snapshot, never an empty or
 * half-written one under the snapshot's name.
 *
 * <pre>
 * "QSIDTAB1" | topic | partitions: (int partition, long next offset)* | long sequence
 * | long staleDropped | live: (bytes SidAssignment)* | deleted: (string item, long revision)*
 * | migrations: (long version, long reencoded, long moved, (string item, from, to)*)* | int crc32
 * </pre>
 *
 * Counts are ints before each list; strings are an int length and UTF-8 bytes.
 */
record SidSnapshot(String topic, Map<Integer, Long> offsets, SidIndex.State state) {

  private static final Logger LOG = LoggerFactory.getLogger(SidSnapshot.class);
  private static final byte[] MAGIC = "QSIDTAB1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_STRING_BYTES = 1 << 20;

  void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream os = Channels.newOutputStream(channel)) {
        CRC32 crc = new CRC32();
        DataOutputStream out =
            new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(os), crc));
        writeBody(out);
        out.flush();
        new DataOutputStream(os).writeInt((int) crc.getValue());
        // Without it a rename can reach the disk before the data: a power cut leaves an empty file.
        channel.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Makes the rename durable; some platforms cannot open a directory, and then it is best effort.
   */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("cannot force directory {} to disk", dir, e);
    }
  }

  /**
   * The snapshot in {@code file}, or empty when there is none or it cannot be read (truncated,
   * checksum mismatch, not a snapshot, unreadable): a table then replays its topic, which is slower
   * but always right. A bad file is moved aside to {@code <file>.corrupt-<epoch millis>} for
   * inspection, so the next snapshot does not overwrite the evidence and the next start does not
   * trip on it again.
   */
  static Optional<SidSnapshot> readIfUsable(Path file) {
    try {
      return Optional.of(read(file));
    } catch (NoSuchFileException e) {
      LOG.info("No SID table snapshot at {}: replaying the topic", file);
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      Path aside =
          file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
      try {
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        LOG.warn(
            "SID table snapshot {} is unusable ({}): moved to {}, replaying the topic",
            file,
            e.toString(),
            aside);
      } catch (IOException moveFailed) {
        LOG.warn(
            "SID table snapshot {} is unusable ({}) and cannot be moved aside ({}): replaying the topic",
            file,
            e.toString(),
            moveFailed.toString());
      }
      return Optional.empty();
    }
  }

  private void writeBody(DataOutputStream out) throws IOException {
    out.write(MAGIC);
    writeString(out, topic);
    Map<Integer, Long> sorted = new TreeMap<>(offsets);
    out.writeInt(sorted.size());
    for (Map.Entry<Integer, Long> e : sorted.entrySet()) {
      out.writeInt(e.getKey());
      out.writeLong(e.getValue());
    }
    out.writeLong(state.sequence());
    out.writeLong(state.staleDropped());
    out.writeInt(state.live().size());
    for (SidRecord r : state.live()) {
      byte[] value = AvroWire.SID_ASSIGNMENTS.encode(r.toAvro());
      out.writeInt(value.length);
      out.write(value);
    }
    out.writeInt(state.deletedRevisions().size());
    for (Map.Entry<String, Long> e : state.deletedRevisions().entrySet()) {
      writeString(out, e.getKey());
      out.writeLong(e.getValue());
    }
    out.writeInt(state.migrations().size());
    for (VersionMigration m : state.migrations()) {
      out.writeLong(m.version());
      out.writeLong(m.itemsReencoded());
      out.writeLong(m.itemsMoved());
      out.writeInt(m.moves().size());
      for (SidMove move : m.moves().values()) {
        writeString(out, move.itemId());
        writeString(out, move.fromSid());
        writeString(out, move.toSid());
      }
    }
  }

  static SidSnapshot read(Path file) throws IOException {
    try (InputStream is = new BufferedInputStream(Files.newInputStream(file))) {
      CRC32 crc = new CRC32();
      DataInputStream in = new DataInputStream(new CheckedInputStream(is, crc));
      SidSnapshot snapshot = readBody(in, file);
      int expected = (int) crc.getValue();
      int stored = new DataInputStream(is).readInt();
      if (stored != expected || is.read() != -1) {
        throw new IOException(file + " is corrupt (checksum mismatch or trailing bytes)");
      }
      return snapshot;
    }
  }

  private static SidSnapshot readBody(DataInputStream in, Path file) throws IOException {
    byte[] magic = in.readNBytes(MAGIC.length);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException(file + " is not a SID table snapshot");
    }
    String topic = readString(in);
    Map<Integer, Long> offsets = new HashMap<>();
    for (int i = count(in); i > 0; i--) {
      offsets.put(in.readInt(), in.readLong());
    }
    long sequence = in.readLong();
    long staleDropped = in.readLong();
    List<SidRecord> live = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      byte[] value = readBytes(in);
      try {
        live.add(SidRecord.fromAvro(AvroWire.SID_ASSIGNMENTS.decode(value)));
      } catch (AvroWireException e) {
        throw new IOException(file + " holds an undecodable record", e);
      }
    }
    Map<String, Long> deleted = new HashMap<>();
    for (int i = count(in); i > 0; i--) {
      deleted.put(readString(in), in.readLong());
    }
    List<VersionMigration> migrations = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      long version = in.readLong();
      long reencoded = in.readLong();
      long moved = in.readLong();
      Map<String, SidMove> moves = new HashMap<>();
      for (int j = count(in); j > 0; j--) {
        String item = readString(in);
        moves.put(item, new SidMove(version, item, readString(in), readString(in)));
      }
      migrations.add(new VersionMigration(version, reencoded, moved, moves));
    }
    return new SidSnapshot(
        topic, offsets, new SidIndex.State(sequence, staleDropped, live, deleted, migrations));
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative count " + n);
    }
    return n;
  }

  private static int length(DataInputStream in) throws IOException {
    int n = count(in);
    if (n > MAX_STRING_BYTES) {
      throw new IOException("entry of " + n + " bytes exceeds " + MAX_STRING_BYTES);
    }
    return n;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = length(in);
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw new IOException("truncated snapshot");
    }
    return bytes;
  }
}
