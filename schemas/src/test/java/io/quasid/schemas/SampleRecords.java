package io.quasid.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** One realistic record of every wire type, with every optional field set. */
final class SampleRecords {

  static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_123L);

  static ItemFeatureEvent itemFeature() {
    return ItemFeatureEvent.newBuilder()
        .setItemId("4711")
        .setFeatures(List.of(0.25f, -1.5f, 3.0e-7f, Float.MAX_VALUE))
        .setProductGroupId("g-17")
        .setOp(Op.UPSERT)
        .setEventTime(T0)
        .build();
  }

  static ItemFeatureEvent itemDelete() {
    return ItemFeatureEvent.newBuilder()
        .setItemId("4711")
        .setFeatures(List.of())
        .setProductGroupId(null)
        .setOp(Op.DELETE)
        .setEventTime(T0.plusMillis(5))
        .build();
  }

  static InteractionEvent interaction() {
    return InteractionEvent.newBuilder()
        .setUserId("u-42")
        .setItemId("4711")
        .setAction("purchase")
        .setWeight(2.5f)
        .setEventTime(T0)
        .build();
  }

  static SidAssignment sidAssignment() {
    return SidAssignment.newBuilder()
        .setItemId("4711")
        .setCodes(List.of(12, 201, 7))
        .setDedupSuffix(1)
        .setSid("12-201-7/1")
        .setModelVersion(3L)
        .setPreviousSid("12-200-7/0")
        .setCauseEventTime(T0)
        .setAssignedTime(T0.plusSeconds(2))
        .setRevision(3)
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic("item-features")
        .setSourcePartition(3)
        .setSourceOffset(123_456_789_012L)
        .setRawKey(ByteBuffer.wrap("4711".getBytes(StandardCharsets.UTF_8)))
        .setRawValue(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x01, 0x00, (byte) 0xFF}))
        .setErrorKind(ErrorKind.WRONG_DIMENSION)
        .setReason("expected 64 features, got 63")
        .setTime(T0)
        .setRawKeyLength(4)
        .setRawValueLength(4)
        .build();
  }

  static MigrationSummary migrationSummary() {
    return MigrationSummary.newBuilder()
        .setModelVersion(4)
        .setOutcome(MigrationOutcome.COMPLETED)
        .setItemsReEncoded(12_101)
        .setItemsMoved(9_870)
        .setItemsKeptByChurnPolicy(0)
        .setChurnPolicy("ALWAYS")
        .setWentLiveAt(T0)
        .setSummarisedAt(T0.plusSeconds(31))
        .build();
  }

  private SampleRecords() {}
}
