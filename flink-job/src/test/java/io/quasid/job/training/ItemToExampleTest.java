package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.types.ItemFeature;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class ItemToExampleTest {

  @Test
  void upsertsBecomeItemExamplesAndDeletesDeletions() {
    List<TrainingExample> out = new ArrayList<>();
    ItemToExample toExample = new ItemToExample();

    toExample.flatMap(
        ItemFeature.upsert("a", new float[] {1, 2}, "g", 5), new ListCollector<>(out));
    toExample.flatMap(ItemFeature.delete("a", 6), new ListCollector<>(out));

    assertThat(out)
        .containsExactly(
            TrainingExample.item("a", new float[] {1, 2}, "g", 5),
            TrainingExample.deletion("a", 6));
    assertThat(out.get(1).deleted).isTrue();
  }
}
