package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.types.ModelUpdate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep's small collaborators: the order its bucket changes leave in, its key cursor. */
class SweepChangesTest {

  private static ItemState placed(int... codes) {
    ItemState s = new ItemState();
    s.vector = new float[] {1f};
    s.codes = new ItemCodes(codes, 0.5f, 1);
    s.revision = 3;
    return s;
  }

  @Test
  void leavesGoFirstSoFreedSuffixesCanBeReusedThenJoinsInItemIdOrder() {
    SweepChanges changes = new SweepChanges(new ModelUpdate(2, 10, new byte[0], 500L, 0.0));
    ItemState b = placed(1, 1);
    ItemState a = placed(2, 2);
    ItemState fresh = new ItemState();
    fresh.vector = new float[] {1f};

    changes.move("b", b, new ItemCodes(new int[] {3, 3}, 0.1f, 2));
    changes.move("a", a, new ItemCodes(new int[] {4, 4}, 0.1f, 2));
    changes.move("c", fresh, new ItemCodes(new int[] {5, 5}, 0.1f, 2));
    List<BucketChange> out = new ArrayList<>();
    changes.emit(out::add);

    assertThat(changes.moved()).isEqualTo(3);
    assertThat(out)
        .extracting(c -> c.kind + " " + c.itemId + " v" + c.modelVersion + " r" + c.revision)
        .containsExactly(
            "LEAVE b v1 r4", "LEAVE a v1 r4", "JOIN a v2 r4", "JOIN b v2 r4", "JOIN c v2 r1");
    assertThat(a.codes.codes).as("the caller writes the state it was given").containsExactly(4, 4);
  }
}
