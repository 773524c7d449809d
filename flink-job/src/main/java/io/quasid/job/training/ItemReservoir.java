package io.quasid.job.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded, seeded, uniform sample of distinct items (Algorithm R over first sightings). An item
 * already held is updated in place, so a re-published vector never counts twice. The trainer keeps
 * two: the quality gate's sample, and the catalogue sample each batch draws from so that training
 * covers the whole catalogue and not only the items users engage with.
 */
final class ItemReservoir {
  private static final long SLOT_SALT = 0x4E1DL;
  private static final long SAMPLE_SALT = 0x3C7AL;

  private final int capacity;
  private final long seed;
  private final List<TrainingExample> items = new ArrayList<>();
  private final Map<String, Integer> slotOf = new HashMap<>();
  private long offered;

  ItemReservoir(int capacity, long seed) {
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

  /** Drops the item if held; its slot goes to the next new item. */
  void remove(String itemId) {
    Integer slot = slotOf.remove(itemId);
    if (slot == null) {
      return;
    }
    TrainingExample last = items.remove(items.size() - 1);
    if (slot < items.size()) {
      items.set(slot, last);
      slotOf.put(last.itemId, slot);
    }
  }

  /** {@code count} items drawn with replacement; {@code draw} distinguishes successive samples. */
  List<TrainingExample> sample(int count, long draw) {
    List<TrainingExample> out = new ArrayList<>(count);
    for (int i = 0; i < count && !items.isEmpty(); i++) {
      out.add(items.get(SeededDraws.index(items.size(), seed, SAMPLE_SALT, draw, i)));
    }
    return out;
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
