package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

  private static TrainingExample item(int i) {
    return TrainingExample.item("i" + i, new float[] {i}, null, i);
  }

  private static TrainingExample pair(int i) {
    return TrainingExample.pair("p" + i, new float[] {i}, null, "q" + i, new float[] {-i}, null, i);
  }

  @Test
  void staysBoundedAndKeepsAUniformShareOfALongStream() {
    ReplayBuffer buffer = new ReplayBuffer(100, 1);
    IntStream.range(0, 10_000).forEach(i -> buffer.offer(item(i)));

    assertThat(buffer.size()).isEqualTo(100);
    assertThat(buffer.offered()).isEqualTo(10_000);
    long fromFirstHalf =
        buffer.contents().stream()
            .filter(e -> Integer.parseInt(e.itemId.substring(1)) < 5_000)
            .count();
    // A burst at the end must not flush the past: about half comes from each half of the stream.
    assertThat(fromFirstHalf).isBetween(30L, 70L);
  }

  @Test
  void countsRowsOfPairsAndListsBothVectors() {
    ReplayBuffer buffer = new ReplayBuffer(10, 1);
    buffer.offer(item(1));
    buffer.offer(pair(2));

    assertThat(buffer.rows()).isEqualTo(3);
    assertThat(buffer.vectors()).isDeepEqualTo(new float[][] {{1}, {2}, {-2}});
  }

  @Test
  void samplesAreSeededAndReachTheRequestedRows() {
    ReplayBuffer a = new ReplayBuffer(50, 7);
    ReplayBuffer b = new ReplayBuffer(50, 7);
    IntStream.range(0, 200)
        .forEach(
            i -> {
              a.offer(i % 3 == 0 ? pair(i) : item(i));
              b.offer(i % 3 == 0 ? pair(i) : item(i));
            });

    List<TrainingExample> sample = a.sample(20, 3);
    assertThat(sample.stream().mapToInt(TrainingExample::rows).sum()).isBetween(20, 21);
    assertThat(b.sample(20, 3)).isEqualTo(sample);
    assertThat(a.sample(20, 4)).isNotEqualTo(sample);
    assertThat(new ReplayBuffer(5, 7).sample(20, 3)).isEmpty();
  }

  @Test
  void restoredBufferContinuesExactlyLikeTheOriginal() {
    ReplayBuffer original = new ReplayBuffer(20, 5);
    IntStream.range(0, 100).forEach(i -> original.offer(item(i)));
    ReplayBuffer restored = new ReplayBuffer(20, 5);
    restored.restore(original.contents(), original.offered());

    IntStream.range(100, 300)
        .forEach(
            i -> {
              original.offer(item(i));
              restored.offer(item(i));
            });

    assertThat(restored.contents()).isEqualTo(original.contents());
    assertThat(restored.rows()).isEqualTo(original.rows());
  }
}
