package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ColdStartSplitTest {

  private static int[][] sequences(int users, int items, long seed) {
    Random r = new Random(seed);
    int[][] s = new int[users][];
    for (int u = 0; u < users; u++) {
      s[u] = r.ints(3 + r.nextInt(8), 0, items).toArray();
    }
    return s;
  }

  @Test
  void coldItemsNeverReachTheInputsButStayTargets() {
    int[][] seqs = sequences(300, 100, 1);
    ColdStartSplit cs = ColdStartSplit.of(seqs, 100, 0.1, 9);
    LeaveOneOutSplit full = LeaveOneOutSplit.of(seqs);

    assertThat(cs.coldItems()).isEqualTo(10);
    for (int u = 0; u < full.numUsers(); u++) {
      for (int i : cs.split().train()[u]) {
        assertThat(cs.cold()[i]).isFalse();
      }
      for (int i : cs.split().testHistories()[u]) {
        assertThat(cs.cold()[i]).isFalse();
      }
      // Warm items keep their order.
      assertThat(cs.split().train()[u])
          .containsExactly(ColdStartSplit.withoutCold(full.train()[u], cs.cold()));
    }
    assertThat(cs.split().testTargets()).containsExactly(full.testTargets());
    assertThat(cs.split().validationTargets()).containsExactly(full.validationTargets());
    boolean[] coldUsers = cs.coldTestUsers();
    for (int u = 0; u < full.numUsers(); u++) {
      assertThat(coldUsers[u]).isEqualTo(cs.cold()[full.testTargets()[u]]);
    }
    for (int[] p : TokenizerBatches.collaborativePairs(cs.split())) {
      assertThat(cs.cold()[p[0]] || cs.cold()[p[1]]).isFalse();
    }
  }

  @Test
  void deterministicPerSeedAndOffAtZero() {
    int[][] seqs = sequences(50, 40, 2);

    assertThat(ColdStartSplit.of(seqs, 40, 0.25, 3).cold())
        .isEqualTo(ColdStartSplit.of(seqs, 40, 0.25, 3).cold());
    assertThat(ColdStartSplit.of(seqs, 40, 0.25, 3).cold())
        .isNotEqualTo(ColdStartSplit.of(seqs, 40, 0.25, 4).cold());
    ColdStartSplit none = ColdStartSplit.of(seqs, 40, 0, 3);
    assertThat(none.coldItems()).isZero();
    assertThat(none.split().train()).isDeepEqualTo(LeaveOneOutSplit.of(seqs).train());
    assertThat(Arrays.asList(ArraysBox.box(none.coldTestUsers()))).doesNotContain(true);
    assertThatThrownBy(() -> ColdStartSplit.of(seqs, 40, 1.0, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static final class ArraysBox {
    static Boolean[] box(boolean[] b) {
      Boolean[] out = new Boolean[b.length];
      for (int i = 0; i < b.length; i++) {
        out[i] = b[i];
      }
      return out;
    }
  }
}
