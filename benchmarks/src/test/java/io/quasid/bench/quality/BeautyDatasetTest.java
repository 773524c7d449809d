package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the loaders against the counts published with the data (skipped where it is absent). */
class BeautyDatasetTest {

  private static Path dir;
  private static CatalogueData data;

  @BeforeAll
  static void load() throws IOException {
    dir = DataPaths.beauty().orElse(null);
    assumeTrue(dir != null, "shared/data/beauty not found");
    data = BeautyDataset.load(dir);
  }

  @Test
  void matchesTheTigerCounts() {
    assertThat(data.numItems()).isEqualTo(12_101);
    assertThat(data.numUsers()).isEqualTo(22_363);
    assertThat(data.numInteractions()).isEqualTo(198_502);
    assertThat(data.vectors()[0]).hasSize(64);
    assertThat(java.util.Arrays.stream(data.groupIds()).min().orElseThrow()).isPositive();
  }

  @Test
  void leaveOneOutKeepsEveryUser() {
    LeaveOneOutSplit split = LeaveOneOutSplit.of(data.sequences());

    assertThat(split.numUsers()).isEqualTo(22_363);
    assertThat(split.trainExamples()).isEqualTo(198_502 - 3L * 22_363);
  }

  /** The README's "items sharing a full native code" are N minus the distinct full SIDs. */
  @Test
  void publishedIndexesReproduceTheReadmeCounts() throws IOException {
    assertThat(collidingItems("rqvae_native")).isEqualTo(602);
    assertThat(collidingItems("rkmeans_native")).isEqualTo(1_574);
    assertThat(collidingItems("letter_native")).isEqualTo(86);
    assertThat(collidingItems("quasid_native")).isEqualTo(37);
    assertThat(collidingItems("quasid_zcr")).isZero();
  }

  private static int collidingItems(String variant) throws IOException {
    int[][] codes = PublishedIndex.load(dir, variant, data.numItems());
    return SidMetrics.of(codes, 256).collidingItems();
  }
}
