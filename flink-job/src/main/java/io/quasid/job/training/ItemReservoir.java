package io.quasid.job.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A bounded, seeded, uniform sample of distinct items: the {@code capacity} item ids of smallest
 * seeded rank (a hash of seed and id). Membership depends only on the set of ids offered, not on
 * their order or on how often an item is re-published: a re-published item updates its entry in
 * place or stays out, and a deleted one leaves room for the next new id that ranks in. The trainer
 * keeps two: the quality gate's sample, and the catalogue sample each batch draws from so that
 * training covers the whole catalogue and not only the items users engage with.
 */
final class ItemReservoir {
  private static final long RANK_SALT = 0x4E1DL;
  private static final long SAMPLE_SALT = 0x3C7AL;

  private record Ranked(double rank, String itemId) {}

  private static final Comparator<Ranked> BY_RANK =
      Comparator.comparingDouble(Ranked::rank).thenComparing(Ranked::itemId);

  private final int capacity;
  private final long seed;
  private final List<TrainingExample> items = new ArrayList<>();
  private final Map<String, Integer> slotOf = new HashMap<>();
  private final TreeSet<Ranked> ranked = new TreeSet<>(BY_RANK);

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
    Ranked candidate = rank(item.itemId);
    if (items.size() >= capacity) {
      if (BY_RANK.compare(candidate, ranked.last()) >= 0) {
        return;
      }
      remove(ranked.last().itemId());
    }
    slotOf.put(item.itemId, items.size());
    items.add(item);
    ranked.add(candidate);
  }

  /** Drops the item if held. */
  void remove(String itemId) {
    Integer slot = slotOf.remove(itemId);
    if (slot == null) {
      return;
    }
    ranked.remove(rank(itemId));
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

  void restore(List<TrainingExample> contents) {
    items.clear();
    slotOf.clear();
    ranked.clear();
    contents.forEach(this::offer);
  }

  int size() {
    return items.size();
  }

  private Ranked rank(String itemId) {
    return new Ranked(SeededDraws.uniform(seed, RANK_SALT, SeededDraws.idHash(itemId)), itemId);
  }
}
