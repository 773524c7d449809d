package io.quasid.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Remembers, per level and code, the last training step that used it, so that codes unused for
 * {@code deadCodeSteps} steps can be re-seeded from recent encoder residuals. Part of the snapshot:
 * a restored model re-seeds exactly when the uninterrupted one would.
 */
public final class DeadCodeTracker {

  private final long[][] lastUsed;

  public DeadCodeTracker(int levels, int codebookSize) {
    this.lastUsed = new long[levels][codebookSize];
  }

  private DeadCodeTracker(long[][] lastUsed) {
    this.lastUsed = lastUsed;
  }

  /** Marks every code as fresh at {@code step} (after a codebook (re)initialisation). */
  public void resetAll(long step) {
    for (long[] level : lastUsed) {
      Arrays.fill(level, step);
    }
  }

  /** Records the codes {@code codes[n][levels]} used at {@code step}. */
  public void observe(int[][] codes, long step) {
    for (int[] row : codes) {
      for (int l = 0; l < row.length; l++) {
        lastUsed[l][row[l]] = step;
      }
    }
  }

  /** Codes of {@code level} not used during the last {@code deadCodeSteps} steps. */
  public List<Integer> deadCodes(int level, long step, int deadCodeSteps) {
    List<Integer> dead = new ArrayList<>();
    if (deadCodeSteps <= 0) {
      return dead;
    }
    for (int k = 0; k < lastUsed[level].length; k++) {
      if (step - lastUsed[level][k] >= deadCodeSteps) {
        dead.add(k);
      }
    }
    return dead;
  }

  public void markUsed(int level, int code, long step) {
    lastUsed[level][code] = step;
  }

  public void write(DataOutput out) throws IOException {
    out.writeInt(lastUsed.length);
    out.writeInt(lastUsed[0].length);
    for (long[] level : lastUsed) {
      for (long v : level) {
        out.writeLong(v);
      }
    }
  }

  public static DeadCodeTracker read(DataInput in) throws IOException {
    int levels = in.readInt();
    int size = in.readInt();
    long[][] lastUsed = new long[levels][size];
    for (int l = 0; l < levels; l++) {
      for (int k = 0; k < size; k++) {
        lastUsed[l][k] = in.readLong();
      }
    }
    return new DeadCodeTracker(lastUsed);
  }
}
