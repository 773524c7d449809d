package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ItemReservoirTest {

  private static TrainingExample item(int i) {
    return TrainingExample.item("i" + i, new float[] {i}, null, i);
  }

  @Test
  void itemsUpdateInPlaceAndStayBounded() {
    ItemReservoir held = new ItemReservoir(3, 1);
    held.offer(item(1));
    held.offer(TrainingExample.item("i1", new float[] {9}, null, 2));
    assertThat(held.size()).isEqualTo(1);
    assertThat(held.vectors()).isDeepEqualTo(new float[][] {{9}});

    IntStream.range(2, 1_000).forEach(i -> held.offer(item(i)));
    assertThat(held.size()).isEqualTo(3);
    assertThat(held.contents()).extracting(e -> e.itemId).doesNotHaveDuplicates();
  }

  @Test
  void samplesAreSeededAndCoverEveryItemAlike() {
    ItemReservoir catalogue = new ItemReservoir(100, 7);
    IntStream.range(0, 10).forEach(i -> catalogue.offer(item(i)));
    // Re-published items must not weigh more in the samples.
    IntStream.range(0, 50).forEach(i -> catalogue.offer(item(0)));

    assertThat(catalogue.sample(5, 3)).isEqualTo(catalogue.sample(5, 3)).hasSize(5);
    assertThat(catalogue.sample(20, 3)).isNotEqualTo(catalogue.sample(20, 4));
    Map<String, Integer> counts = new HashMap<>();
    for (long draw = 0; draw < 1_000; draw++) {
      catalogue.sample(10, draw).forEach(e -> counts.merge(e.itemId, 1, Integer::sum));
    }
    assertThat(counts).hasSize(10);
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
  }

  @Test
  void anEmptyReservoirSamplesNothing() {
    assertThat(new ItemReservoir(4, 1).sample(8, 0)).isEmpty();
  }
}
