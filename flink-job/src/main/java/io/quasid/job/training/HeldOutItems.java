package io.quasid.job.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The held-out reservoir: a bounded, seeded sample of distinct items on which the quality gate
 * measures collision rates. An item already held is updated in place, so a re-published vector
 * never counts twice.
 */
final class HeldOutItems {
  private static final long SLOT_SALT = 0x4E1DL;

  private final int capacity;
  private final long seed;
  private final List<TrainingExample> items = new ArrayList<>();
  private final Map<String, Integer> slotOf = new HashMap<>();
  private long offered;

  HeldOutItems(int capacity, long seed) {
    this.capacity = capacity;
    this.seed = seed;
  }

  void offer(TrainingExample item) {
    Integer held = slotOf.get(item.itemId);
    if (held != null) {
      items.set(held, item);
      return;
    }
    offered++;
    if (items.size() < capacity) {
      slotOf.put(item.itemId, items.size());
      items.add(item);
      return;
    }
    long slot = (long) (SeededDraws.uniform(seed, SLOT_SALT, offered) * offered);
    if (slot < capacity) {
      slotOf.remove(items.get((int) slot).itemId);
      slotOf.put(item.itemId, (int) slot);
      items.set((int) slot, item);
    }
  }

  float[][] vectors() {
    float[][] out = new float[items.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = items.get(i).vector;
    }
    return out;
  }

  List<TrainingExample> contents() {
    return List.copyOf(items);
  }

  long offered() {
    return offered;
  }

  void restore(List<TrainingExample> contents, long offeredSoFar) {
    items.clear();
    slotOf.clear();
    for (TrainingExample e : contents) {
      slotOf.put(e.itemId, items.size());
      items.add(e);
    }
    offered = offeredSoFar;
  }

  int size() {
    return items.size();
  }
}
