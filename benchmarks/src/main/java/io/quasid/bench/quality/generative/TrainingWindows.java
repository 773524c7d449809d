package io.quasid.bench.quality.generative;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The training sequences cut into windows of at most {@code historyItems + 1} items, the last
 * window of a user ending at its last training item. Every item of a sequence is a target exactly
 * once, predicted from the items before it in its window: a window that does not start at the
 * sequence's first item uses its first item as context only, and the window before it ends on that
 * item. So a target sees all of its recent history (up to {@code historyItems} items) when its
 * window starts the sequence, which is every target of a sequence of at most {@code historyItems +
 * 1} items (most users of the 5-core datasets); in an earlier window of a longer sequence it sees
 * only the part of its history inside the window (at least one item), a cheaper cut than one window
 * per target.
 */
public final class TrainingWindows {

  /** Items of one window, and the first of them that is a target. */
  record Window(int[] items, int targetFrom) {}

  private final List<Window> windows;

  TrainingWindows(int[][] sequences, int historyItems) {
    int size = historyItems + 1;
    List<Window> list = new ArrayList<>();
    for (int[] s : sequences) {
      int end = s.length;
      while (end > 0) {
        int start = Math.max(0, end - size);
        list.add(new Window(Arrays.copyOfRange(s, start, end), start == 0 ? 0 : 1));
        end = start == 0 ? 0 : start + 1;
      }
    }
    this.windows = List.copyOf(list);
  }

  List<Window> windows() {
    return windows;
  }

  /** Target items over all windows: the training examples of one epoch. */
  public long targets() {
    return windows.stream().mapToLong(w -> w.items().length - w.targetFrom()).sum();
  }

  /**
   * One epoch's batches: windows of similar length together (less padding), in a random order.
   * Windows of equal length are shuffled before they are grouped, so batches differ by epoch.
   */
  List<List<Window>> batches(int batchSize, Random random) {
    List<Window> order = new ArrayList<>(windows);
    Collections.shuffle(order, random);
    order.sort(Comparator.comparingInt(w -> w.items().length));
    List<List<Window>> batches = new ArrayList<>();
    for (int from = 0; from < order.size(); from += batchSize) {
      batches.add(order.subList(from, Math.min(order.size(), from + batchSize)));
    }
    Collections.shuffle(batches, random);
    return batches;
  }
}
