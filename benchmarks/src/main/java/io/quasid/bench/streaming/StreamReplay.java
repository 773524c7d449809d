package io.quasid.bench.streaming;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A catalogue replayed in stream order, the way the demo's {@code CatalogPublisher} interleaves
 * users' interactions: every user's first interaction (in the file's user order), then every user's
 * second, and so on. An item appears with its first interaction.
 *
 * @param users user index of each stream event
 * @param items item (0-based) of each stream event
 * @param firstArrival per item, the index of its first event, or -1 if it never occurs
 * @param arrivalOrder items in order of first appearance
 */
public record StreamReplay(int[] users, int[] items, int[] firstArrival, int[] arrivalOrder) {

  /** Interleaves {@code sequences} (per user, item ids in time order) over {@code numItems}. */
  public static StreamReplay interleave(int[][] sequences, int numItems) {
    int total = Arrays.stream(sequences).mapToInt(s -> s.length).sum();
    int longest = Arrays.stream(sequences).mapToInt(s -> s.length).max().orElse(0);
    int[] users = new int[total];
    int[] items = new int[total];
    int[] first = new int[numItems];
    Arrays.fill(first, -1);
    int[] order = new int[numItems];
    int distinct = 0;
    int at = 0;
    for (int position = 0; position < longest; position++) {
      for (int u = 0; u < sequences.length; u++) {
        if (sequences[u].length > position) {
          int item = sequences[u][position];
          users[at] = u;
          items[at] = item;
          if (first[item] < 0) {
            first[item] = at;
            order[distinct++] = item;
          }
          at++;
        }
      }
    }
    return new StreamReplay(users, items, first, Arrays.copyOf(order, distinct));
  }

  public int length() {
    return items.length;
  }

  public int distinctItems() {
    return arrivalOrder.length;
  }

  /**
   * End (exclusive) of the stream prefix in which the first {@code fraction} of the distinct items
   * appear: the event after the first interaction of the {@code ceil(fraction x distinct)}-th item.
   */
  public int startPoint(double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("start fraction must be in (0, 1), got " + fraction);
    }
    int count = Math.max(1, (int) Math.ceil(fraction * distinctItems()));
    return firstArrival[arrivalOrder[count - 1]] + 1;
  }

  /** Items whose first interaction lies before {@code position} (exclusive). */
  public boolean[] arrivedBefore(int position) {
    boolean[] live = new boolean[firstArrival.length];
    for (int i = 0; i < firstArrival.length; i++) {
      live[i] = firstArrival[i] >= 0 && firstArrival[i] < position;
    }
    return live;
  }

  /**
   * Measurement points: {@code start}, then every {@code 1/parts} of the events after it, the last
   * one the end of the stream.
   */
  public int[] checkpoints(int start, int parts) {
    if (parts < 1 || start < 0 || start > length()) {
      throw new IllegalArgumentException("need parts >= 1 and 0 <= start <= length");
    }
    int[] at = new int[parts + 1];
    for (int k = 0; k <= parts; k++) {
      at[k] = start + (int) Math.round((double) k * (length() - start) / parts);
    }
    return at;
  }

  /**
   * Collaborative pairs of the events before {@code end}: each user's consecutive distinct items
   * (the offline recipe's pairs, as the quality benchmark draws them).
   */
  public int[][] consecutivePairs(int end) {
    int users = 0;
    for (int u : this.users) {
      users = Math.max(users, u + 1);
    }
    int[] last = new int[users];
    Arrays.fill(last, -1);
    List<int[]> out = new ArrayList<>();
    for (int at = 0; at < end; at++) {
      int u = this.users[at];
      int item = items[at];
      if (last[u] >= 0 && last[u] != item) {
        out.add(new int[] {last[u], item});
      }
      last[u] = item;
    }
    return out.toArray(new int[0][]);
  }
}
