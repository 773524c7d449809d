package io.quasid.bench.quality.generative;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainingWindowsTest {

  @Test
  void everyItemIsATargetOnceAfterTheRecentHistoryInsideItsWindow() {
    int history = 3;
    for (int length : new int[] {0, 1, 4, 5, 11}) {
      // Item ids equal positions, so a window's items say where they came from.
      TrainingWindows windows = new TrainingWindows(new int[][] {range(length)}, history);

      int[] timesTarget = new int[length];
      for (TrainingWindows.Window w : windows.windows()) {
        int[] items = w.items();
        assertThat(items.length).isBetween(1, history + 1);
        for (int i = 0; i < items.length; i++) {
          assertThat(items[i]).as("contiguous").isEqualTo(items[0] + i);
        }
        if (items[0] == 0) {
          assertThat(w.targetFrom()).as("a window that starts the sequence").isZero();
        } else {
          assertThat(w.targetFrom()).as("its first item is context only").isEqualTo(1);
          assertThat(items).as("cut only where the sequence is too long").hasSize(history + 1);
        }
        for (int i = w.targetFrom(); i < items.length; i++) {
          timesTarget[items[i]]++;
        }
      }
      assertThat(Arrays.stream(timesTarget).allMatch(t -> t == 1)).as("length %d", length).isTrue();
      assertThat(windows.targets()).isEqualTo(length);
      if (length > 0) {
        assertThat(windows.windows().get(0).items()).endsWith(length - 1);
      }
    }
  }

  @Test
  void batchesHoldEveryWindowOnceWithSimilarLengths() {
    Random random = new Random(2);
    int[][] sequences = new int[50][];
    for (int u = 0; u < sequences.length; u++) {
      sequences[u] = range(1 + random.nextInt(12));
    }
    TrainingWindows windows = new TrainingWindows(sequences, 4);

    List<List<TrainingWindows.Window>> batches = windows.batches(8, random);

    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(windows.windows().size());
    assertThat(batches.stream().flatMap(List::stream).distinct().count())
        .isEqualTo(windows.windows().size());
    // Grouped by length: ordered by their shortest window, no batch overlaps the next one's
    // lengths except at the boundary.
    List<int[]> spans = new ArrayList<>();
    for (List<TrainingWindows.Window> b : batches) {
      spans.add(
          new int[] {
            b.stream().mapToInt(w -> w.items().length).min().orElseThrow(),
            b.stream().mapToInt(w -> w.items().length).max().orElseThrow()
          });
    }
    spans.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
    for (int i = 1; i < spans.size(); i++) {
      assertThat(spans.get(i - 1)[1]).isLessThanOrEqualTo(spans.get(i)[0]);
    }
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    Arrays.setAll(r, i -> i);
    return r;
  }
}
