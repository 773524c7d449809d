package io.quasid.job.pipeline;

import static io.quasid.job.pipeline.StateProbe.keys;
import static io.quasid.job.pipeline.StateProbe.state;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SidBucketAllocatorTest {

  private static final int[] BUCKET = {1, 2, 3};
  private static final String KEY = "1-2-3";

  private KeyedOneInputStreamOperatorTestHarness<String, BucketChange, BucketAssignment> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new SidBucketAllocator()),
            BucketChange::bucketKey,
            Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void join(String item, long rev) throws Exception {
    harness.processElement(BucketChange.join(item, BUCKET, rev, 0, 10), 10);
  }

  private void leave(String item, long rev, boolean deleted) throws Exception {
    harness.processElement(BucketChange.leave(item, BUCKET, rev, 0, deleted, 10), 10);
  }

  private static BucketAssignment assigned(String item, int suffix, long rev) {
    return new BucketAssignment(item, BUCKET, suffix, rev, 0, false, 10);
  }

  @Test
  void membersKeepTheirSuffixAndTheSmallestFreeSuffixIsReused() throws Exception {
    join("a", 1);
    join("b", 1);
    join("c", 1);
    leave("b", 2, false);
    leave("a", 2, false);
    join("d", 1);
    join("e", 1);
    join("f", 1);

    assertThat(harness.extractOutputValues())
        .containsExactly(
            assigned("a", 0, 1),
            assigned("b", 1, 1),
            assigned("c", 2, 1),
            assigned("d", 0, 1),
            assigned("e", 1, 1),
            assigned("f", 3, 1));
    assertThat(state(harness, KEY, SidBucketAllocator.MEMBERS).get("c")).isEqualTo(2);
    assertThat(state(harness, KEY, SidBucketAllocator.COUNT_AND_FREE).value())
        .as("four members, no free suffix")
        .containsExactly(4);
  }

  @Test
  void rejoiningMemberKeepsItsSuffixWithTheNewRevision() throws Exception {
    join("a", 1);
    join("b", 1);
    join("b", 4);

    assertThat(harness.extractOutputValues())
        .containsExactly(assigned("a", 0, 1), assigned("b", 1, 1), assigned("b", 1, 4));
    assertThat(state(harness, KEY, SidBucketAllocator.COUNT_AND_FREE).value()).containsExactly(2);
  }

  @Test
  void deleteEmitsTombstoneAndPlainLeaveEmitsNothing() throws Exception {
    join("a", 1);
    join("b", 1);
    harness.getOutput().clear();
    leave("a", 2, false);
    leave("b", 2, true);

    assertThat(harness.extractOutputValues())
        .containsExactly(new BucketAssignment("b", BUCKET, -1, 2, 0, true, 10));
  }

  @Test
  void emptiedBucketLeavesNoState() throws Exception {
    join("a", 1);
    join("b", 1);
    leave("a", 2, false);
    assertThat(state(harness, KEY, SidBucketAllocator.COUNT_AND_FREE).value())
        .as("one member, suffix 0 free")
        .containsExactly(1, 0);

    leave("b", 2, true);
    leave("ghost", 3, false);

    assertThat(keys(harness, SidBucketAllocator.MEMBERS)).isZero();
    assertThat(keys(harness, SidBucketAllocator.COUNT_AND_FREE)).isZero();
  }

  @Test
  void bucketsAreIndependent() throws Exception {
    join("a", 1);
    harness.processElement(BucketChange.join("b", new int[] {1, 2, 4}, 1, 0, 10), 10);

    assertThat(harness.extractOutputValues()).extracting(a -> a.suffix).containsExactly(0, 0);
    assertThat(keys(harness, SidBucketAllocator.COUNT_AND_FREE)).isEqualTo(2);
  }
}
