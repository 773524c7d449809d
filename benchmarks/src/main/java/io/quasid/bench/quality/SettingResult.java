package io.quasid.bench.quality;

import java.util.List;

/**
 * Every row of one benchmark setting (a dataset at one SID depth) on one split.
 *
 * @param dataset {@code beauty} or {@code scientific}
 * @param coldStart the split, with the cold-start items (none when the share is 0)
 * @param examples next-item training examples per recommender epoch
 */
public record SettingResult(
    String dataset,
    int levels,
    CatalogueData data,
    ColdStartSplit coldStart,
    long examples,
    List<SidRow> rows) {

  public String title() {
    return (switch (dataset) {
          case BenchmarkOptions.BEAUTY -> "Beauty";
          case BenchmarkOptions.SCIENTIFIC_SENTENCE -> "Scientific, sentence-encoder features";
          default -> "Scientific";
        })
        + ", "
        + levels
        + " levels × 256";
  }

  /** The plain RQ-VAE row: the baseline of every confidence interval. */
  public SidRow baseline() {
    return rows.stream()
        .filter(r -> r.variant() == TokenizerVariant.RQ_VAE)
        .findFirst()
        .orElseThrow();
  }
}
