package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The text track against the counts published with the data (skipped where it is absent). */
class ScientificDatasetTest {

  @Test
  void loadsTextFeaturesSequencesAndIndexes() throws IOException {
    Path dir = DataPaths.scientific().orElse(null);
    assumeThat(dir).as("shared/data/scientific").isNotNull();

    CatalogueData data = ScientificDataset.load(dir, 1);

    assertThat(data.numItems()).isEqualTo(4_344);
    assertThat(data.numUsers()).isEqualTo(8_317);
    assertThat(data.numInteractions()).isEqualTo(58_492);
    assertThat(data.vectors()[0]).hasSize(ScientificDataset.FEATURE_DIM);
    int[][] quasid =
        PublishedIndex.load(dir, "Scientific.index.json", "quasid_native", data.numItems());
    assertThat(quasid[0]).hasSize(4);
    assertThat(PublishedIndex.truncate(quasid, 3)[0])
        .containsExactly(quasid[0][0], quasid[0][1], quasid[0][2]);
  }
}
