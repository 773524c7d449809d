package io.quasid.job.training;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded, seeded reservoir of past examples (Algorithm R): after n offers each one is kept with
 * probability capacity/n, so a burst cannot flush the history the trainer mixes into each batch.
 * Draws are hashes of (seed, counter), so the contents and the count of offers are its whole state.
 */
final class ReplayBuffer {
  private static final long SLOT_SALT = 0x5107L;
  private static final long SAMPLE_SALT = 0x5A3FL;

  private final int capacity;
  private final long seed;
  private final List<TrainingExample> examples;
  private long offered;
  private int rows;

  ReplayBuffer(int capacity, long seed) {
    this.capacity = capacity;
    this.seed = seed;
    this.examples = new ArrayList<>();
  }

  void offer(TrainingExample example) {
    offered++;
    if (examples.size() < capacity) {
      examples.add(example);
      rows += example.rows();
      return;
    }
    long slot = (long) (SeededDraws.uniform(seed, SLOT_SALT, offered) * offered);
    if (slot < capacity) {
      rows += example.rows() - examples.get((int) slot).rows();
      examples.set((int) slot, example);
    }
  }

  /**
   * Draws examples (with replacement) until they add up to at least {@code minRows} rows; {@code
   * draw} distinguishes successive samples. Empty when the buffer is.
   */
  List<TrainingExample> sample(int minRows, long draw) {
    List<TrainingExample> out = new ArrayList<>();
    int taken = 0;
    for (int i = 0; taken < minRows && !examples.isEmpty(); i++) {
      TrainingExample e =
          examples.get(SeededDraws.index(examples.size(), seed, SAMPLE_SALT, draw, i));
      out.add(e);
      taken += e.rows();
    }
    return out;
  }

  /** Every buffered feature vector, both sides of pairs included. */
  float[][] vectors() {
    List<float[]> out = new ArrayList<>(rows);
    for (TrainingExample e : examples) {
      out.add(e.vector);
      if (e.isPair()) {
        out.add(e.targetVector);
      }
    }
    return out.toArray(new float[0][]);
  }

  List<TrainingExample> contents() {
    return List.copyOf(examples);
  }

  long offered() {
    return offered;
  }

  /** Replaces the contents with a snapshot's. */
  void restore(List<TrainingExample> contents, long offeredSoFar) {
    examples.clear();
    rows = 0;
    for (TrainingExample e : contents) {
      examples.add(e);
      rows += e.rows();
    }
    offered = offeredSoFar;
  }

  int size() {
    return examples.size();
  }

  int rows() {
    return rows;
  }

  int capacity() {
    return capacity;
  }
}
