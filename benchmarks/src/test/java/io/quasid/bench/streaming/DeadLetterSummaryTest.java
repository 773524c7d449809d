package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DeadLetterSummaryTest {

  @Test
  void aCellNamesTheKindsAndOneReasonSoAWrongRejectionCanBeTraced() {
    DeadLetterSummary summary =
        new DeadLetterSummary(
            new TreeMap<>(Map.of("UNKNOWN_ID", 9L, "OVERSIZE", 1L)),
            "item item-7 not in the catalogue after 30001 ms | x");

    assertThat(summary.count()).isEqualTo(10);
    assertThat(summary.describe())
        .isEqualTo(
            "10 (OVERSIZE 1, UNKNOWN_ID 9; e.g. \"item item-7 not in the catalogue after 30001 ms"
                + " \\| x\")");
    assertThat(DeadLetterSummary.NONE.describe()).isEqualTo("0");
  }
}
