package io.quasid.job.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes published versions to {@code training.export-dir} only once the checkpoint that holds them
 * has completed, like the exactly-once SID sink commits its records. A version published and then
 * lost to a failure is never written, so a version number on disk always names the model whose
 * assignments were committed under it (the resumed trainer may publish that number again with other
 * weights, when its inputs arrive in another order).
 */
final class VersionExports {
  private static final Logger LOG = LoggerFactory.getLogger(VersionExports.class);
  static final int MAX_PENDING = 8;

  private final Path dir;
  private final List<PendingExport> sinceLastSnapshot = new ArrayList<>();
  private final TreeMap<Long, List<PendingExport>> byCheckpoint = new TreeMap<>();

  /** {@code dir} null: exports are off and nothing is kept. */
  VersionExports(String dir) {
    this.dir = dir == null ? null : Path.of(dir);
  }

  void published(long version, byte[] snapshot) {
    if (dir == null) {
      return;
    }
    sinceLastSnapshot.add(new PendingExport(version, snapshot));
    if (pendingCount() > MAX_PENDING) {
      PendingExport dropped = dropOldest();
      LOG.warn(
          "Version {} will not be exported: more than {} versions wait for a checkpoint",
          dropped.version,
          MAX_PENDING);
    }
  }

  private int pendingCount() {
    int n = sinceLastSnapshot.size();
    for (List<PendingExport> l : byCheckpoint.values()) {
      n += l.size();
    }
    return n;
  }

  private PendingExport dropOldest() {
    if (byCheckpoint.isEmpty()) {
      return sinceLastSnapshot.remove(0);
    }
    Map.Entry<Long, List<PendingExport>> oldest = byCheckpoint.firstEntry();
    PendingExport dropped = oldest.getValue().remove(0);
    if (oldest.getValue().isEmpty()) {
      byCheckpoint.remove(oldest.getKey());
    }
    return dropped;
  }

  /** Assigns the versions published so far to checkpoint {@code id}; returns all still pending. */
  List<PendingExport> snapshot(long checkpointId) {
    if (!sinceLastSnapshot.isEmpty()) {
      byCheckpoint.put(checkpointId, new ArrayList<>(sinceLastSnapshot));
      sinceLastSnapshot.clear();
    }
    List<PendingExport> pending = new ArrayList<>();
    byCheckpoint.values().forEach(pending::addAll);
    return pending;
  }

  /** Writes every version of checkpoints up to {@code id}. */
  void checkpointCompleted(long checkpointId) {
    Iterator<Map.Entry<Long, List<PendingExport>>> it =
        byCheckpoint.headMap(checkpointId, true).entrySet().iterator();
    while (it.hasNext()) {
      it.next().getValue().forEach(this::write);
      it.remove();
    }
  }

  /**
   * Restored pending exports belong to the completed checkpoint the job restarts from, whose
   * completion notice may have been lost with the failure: written now.
   */
  void restored(Iterable<PendingExport> pending) {
    if (dir == null) {
      // Exports were switched off since that checkpoint.
      return;
    }
    pending.forEach(this::write);
  }

  private void write(PendingExport e) {
    try {
      Path target = dir.resolve(String.format("quasid-v%06d.snapshot", e.version));
      if (Files.exists(target)) {
        if (Arrays.equals(Files.readAllBytes(target), e.snapshot)) {
          return;
        }
        LOG.warn(
            "Replacing {} with the model this job now serves as version {} (restored from an"
                + " earlier checkpoint, or an old export directory)",
            target,
            e.version);
      }
      Files.createDirectories(dir);
      // Atomic rename, so a reader never sees half a file.
      Path tmp = Files.createTempFile(dir, ".quasid-v" + e.version, ".tmp");
      Files.write(tmp, e.snapshot);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException ex) {
      // The version is live in the job either way; a failed export must not restart training.
      LOG.error("Could not export version {} to {}", e.version, dir, ex);
    }
  }
}
