package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
  void membershipDependsOnTheIdsOnlyNotOnOrderOrRepublication() {
    ItemReservoir ascending = new ItemReservoir(10, 3);
    ItemReservoir descending = new ItemReservoir(10, 3);
    IntStream.range(0, 1_000).forEach(i -> ascending.offer(item(i)));
    IntStream.range(0, 1_000).map(i -> 999 - i).forEach(i -> descending.offer(item(i)));
    Set<String> held = ids(ascending);
    assertThat(ids(descending)).isEqualTo(held);

    // Items published again (an evicted one gets no second chance, a held one stays held).
    IntStream.range(0, 1_000).forEach(i -> ascending.offer(item(i)));
    assertThat(ids(ascending)).isEqualTo(held);
  }

  @Test
  void aDeletionMakesRoomForTheNextNewIdThatRanksIn() {
    ItemReservoir held = new ItemReservoir(5, 3);
    IntStream.range(0, 100).forEach(i -> held.offer(item(i)));
    String gone = held.contents().get(0).itemId;
    held.remove(gone);
    assertThat(held.size()).isEqualTo(4);

    IntStream.range(100, 1_000).forEach(i -> held.offer(item(i)));
    ItemReservoir fresh = new ItemReservoir(5, 3);
    IntStream.range(0, 1_000)
        .filter(i -> !("i" + i).equals(gone))
        .forEach(i -> fresh.offer(item(i)));
    assertThat(ids(held)).hasSize(5).isEqualTo(ids(fresh));
  }

  private static Set<String> ids(ItemReservoir r) {
    return r.contents().stream().map(e -> e.itemId).collect(Collectors.toSet());
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
  void removedItemsLeaveAndFreeTheirSlot() {
    ItemReservoir held = new ItemReservoir(3, 1);
    IntStream.range(0, 3).forEach(i -> held.offer(item(i)));

    held.remove("i0");
    held.remove("unknown");
    assertThat(held.contents()).extracting(e -> e.itemId).containsExactlyInAnyOrder("i1", "i2");
    held.offer(item(7));
    assertThat(held.contents())
        .extracting(e -> e.itemId)
        .containsExactlyInAnyOrder("i1", "i2", "i7");
    // The moved entry is still updated in place.
    held.offer(TrainingExample.item("i2", new float[] {42}, null, 9));
    assertThat(held.size()).isEqualTo(3);
    assertThat(held.sample(100, 0)).extracting(e -> e.itemId).doesNotContain("i0");
  }

  @Test
  void anEmptyReservoirSamplesNothing() {
    assertThat(new ItemReservoir(4, 1).sample(8, 0)).isEmpty();
  }
}
