package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.types.ItemFeature;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.ErrorKind;
import io.quasid.schemas.InteractionEvent;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.Op;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Every kind of bad record is dead-lettered with its provenance, and the good ones still pass. */
class DecoderBadInputTest {

  private static final int DIM = 4;
  private static final int MAX_BYTES = 200;
  private static final long MAX_SKEW = 3_600_000;

  private static byte[] item(String id, List<Float> features, Op op) {
    return item(id, features, op, 1_000);
  }

  private static byte[] item(String id, List<Float> features, Op op, long eventTime) {
    return AvroWire.ITEM_FEATURES.encode(
        ItemFeatureEvent.newBuilder()
            .setItemId(id)
            .setFeatures(features)
            .setOp(op)
            .setEventTime(Instant.ofEpochMilli(eventTime))
            .build());
  }

  private static byte[] interaction(String user, String item, float weight) {
    return interaction(user, item, weight, 1_000);
  }

  private static byte[] interaction(String user, String item, float weight, long eventTime) {
    return AvroWire.INTERACTIONS.encode(
        InteractionEvent.newBuilder()
            .setUserId(user)
            .setItemId(item)
            .setAction("view")
            .setWeight(weight)
            .setEventTime(Instant.ofEpochMilli(eventTime))
            .build());
  }

  private static RawRecord raw(long offset, byte[] value) {
    return new RawRecord("items", 3, offset, 0, "k".getBytes(), value);
  }

  private static RawRecord sentAt(long timestamp, long offset, byte[] value) {
    return new RawRecord("items", 3, offset, timestamp, "k".getBytes(), value);
  }

  private static List<Float> floats(int n, float value) {
    List<Float> f = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      f.add(value);
    }
    return f;
  }

  private static List<RejectedRecord> rejected(OneInputStreamOperatorTestHarness<?, ?> harness) {
    return harness.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void itemDecoderRejectsEveryBadKindAndPassesGoodRecords() throws Exception {
    List<Float> nan = floats(DIM, 0.5f);
    nan.set(2, Float.NaN);
    List<Float> inf = floats(DIM, 0.5f);
    inf.set(0, Float.NEGATIVE_INFINITY);
    byte[] oversize = item("big", floats(DIM * 20, 0.5f), Op.UPSERT);

    try (var harness =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new ItemFeatureDecoder(DIM, MAX_BYTES, MAX_SKEW))) {
      harness.processElement(raw(0, item("ok", floats(DIM, 0.5f), Op.UPSERT)), 0);
      harness.processElement(raw(1, new byte[] {1, 2, 3}), 0);
      harness.processElement(raw(2, item("short", floats(DIM - 1, 0.5f), Op.UPSERT)), 0);
      harness.processElement(raw(3, item("nan", nan, Op.UPSERT)), 0);
      harness.processElement(raw(4, item("inf", inf, Op.UPSERT)), 0);
      harness.processElement(raw(5, item(" ", floats(DIM, 0.5f), Op.UPSERT)), 0);
      harness.processElement(raw(6, oversize), 0);
      harness.processElement(raw(7, null), 0);
      harness.processElement(raw(8, item("gone", List.of(), Op.DELETE)), 0);

      assertThat(harness.extractOutputValues())
          .containsExactly(
              ItemFeature.upsert("ok", new float[] {0.5f, 0.5f, 0.5f, 0.5f}, null, 1_000),
              ItemFeature.delete("gone", 1_000));
      List<RejectedRecord> bad = rejected(harness);
      assertThat(bad)
          .extracting(r -> r.kind)
          .containsExactly(
              ErrorKind.UNDECODABLE,
              ErrorKind.WRONG_DIMENSION,
              ErrorKind.NON_FINITE,
              ErrorKind.NON_FINITE,
              ErrorKind.EMPTY_ID,
              ErrorKind.OVERSIZE,
              ErrorKind.UNDECODABLE);
      assertThat(bad).extracting(r -> r.sourceOffset).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
      assertThat(bad).allSatisfy(r -> assertThat(r.sourceTopic).isEqualTo("items"));
      assertThat(bad).allSatisfy(r -> assertThat(r.sourcePartition).isEqualTo(3));
      assertThat(bad.get(0).rawValue).containsExactly(1, 2, 3);
      assertThat(bad.get(1).reason).contains("dimension 3, want 4");
      assertThat(bad.get(2).reason).contains("feature[2] = NaN");
      assertThat(bad.get(5).rawValue).hasSize(MAX_BYTES);
      assertThat(bad.get(5).reason).contains(oversize.length + " bytes > max " + MAX_BYTES);
    }
  }

  @Test
  void interactionDecoderRejectsBadRecordsAndKeepsTheSourceOfGoodOnes() throws Exception {
    byte[] big = interaction("u".repeat(300), "a", 1f);
    try (var harness =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new InteractionDecoder(MAX_BYTES, MAX_SKEW))) {
      harness.processElement(raw(0, interaction("u1", "a", 2f)), 0);
      harness.processElement(raw(1, "not avro".getBytes()), 0);
      harness.processElement(raw(2, interaction("", "a", 1f)), 0);
      harness.processElement(raw(3, interaction("u1", "", 1f)), 0);
      harness.processElement(raw(4, interaction("u1", "a", Float.NaN)), 0);
      harness.processElement(raw(5, big), 0);

      assertThat(harness.extractOutputValues()).hasSize(1);
      SourcedInteraction ok = harness.extractOutputValues().get(0);
      assertThat(ok.interaction.weight).isEqualTo(2f);
      assertThat(ok.source.offset).isZero();
      assertThat(rejected(harness))
          .extracting(r -> r.kind)
          .containsExactly(
              ErrorKind.UNDECODABLE,
              ErrorKind.EMPTY_ID,
              ErrorKind.EMPTY_ID,
              ErrorKind.NON_FINITE,
              ErrorKind.OVERSIZE);
    }
  }

  private static byte[] itemAt(String id, long eventTime) {
    return item(id, floats(DIM, 0.5f), Op.UPSERT, eventTime);
  }

  private static byte[] interactionAt(String item, long eventTime) {
    return interaction("u1", item, 1f, eventTime);
  }

  /** A future event time would freeze the item: every later event of it looks older. */
  @Test
  void eventTimesFurtherAheadOfTheClockThanTheSkewBoundAreDeadLettered() throws Exception {
    long now = 1_700_000_000_000L;
    try (var items =
            ProcessFunctionTestHarnesses.forProcessFunction(
                new ItemFeatureDecoder(DIM, MAX_BYTES, MAX_SKEW));
        var interactions =
            ProcessFunctionTestHarnesses.forProcessFunction(
                new InteractionDecoder(MAX_BYTES, MAX_SKEW))) {
      items.setProcessingTime(now);
      interactions.setProcessingTime(now);
      items.processElement(sentAt(now, 0, itemAt("late-clock", now - 86_400_000)), 0);
      items.processElement(sentAt(now, 1, itemAt("at-bound", now + MAX_SKEW)), 0);
      items.processElement(sentAt(now, 2, itemAt("micros", now * 1000)), 0);
      items.processElement(sentAt(now, 3, itemAt("fast-event", now + MAX_SKEW + 1)), 0);
      // A producer whose clock runs 2 h ahead stamps the record's timestamp 2 h ahead too.
      items.processElement(sentAt(now + 7_200_000, 4, itemAt("fast-host", now + 7_200_000)), 0);
      // Read 3 h after it was sent: the bound is the record's own timestamp, not the reading time.
      items.processElement(sentAt(now - 10_800_000, 5, itemAt("replayed", now - 3_600_000)), 0);
      interactions.processElement(sentAt(now, 0, interactionAt("a", now + MAX_SKEW)), 0);
      interactions.processElement(sentAt(now, 1, interactionAt("a", now * 1000)), 0);

      assertThat(items.extractOutputValues())
          .extracting(f -> f.itemId)
          .containsExactly("late-clock", "at-bound");
      assertThat(rejected(items)).extracting(r -> r.kind).containsOnly(ErrorKind.INVALID);
      assertThat(rejected(items)).extracting(r -> r.sourceOffset).containsExactly(2L, 3L, 4L, 5L);
      assertThat(rejected(items).get(0).reason)
          .startsWith("item micros: event_time")
          .contains("event-time.max-future-skew (PT1H)");
      assertThat(rejected(items).get(2).reason).contains("ahead of the task manager's clock");
      assertThat(rejected(items).get(3).reason).contains("ahead of the record's Kafka timestamp");
      assertThat(interactions.extractOutputValues()).hasSize(1);
      assertThat(rejected(interactions)).extracting(r -> r.sourceOffset).containsExactly(1L);
    }
  }

  @Test
  void tinyRecordsDeclaringHugeLengthsAreDeadLetteredNotAllocated() throws Exception {
    // Header + item_id "a" + an array block of 4e8 floats (22 bytes): was an OutOfMemoryError.
    byte[] arrayBomb =
        withHeader(AvroWire.ITEM_FEATURES.fingerprint(), 2, 'a', 0x80, 0x90, 0xBC, 0xFD, 0x02);
    // Header + a user_id of 1.5e9 bytes (15 bytes).
    byte[] stringBomb =
        withHeader(AvroWire.INTERACTIONS.fingerprint(), 0x80, 0xBC, 0xC1, 0x96, 0x0B);
    try (var items =
            ProcessFunctionTestHarnesses.forProcessFunction(
                new ItemFeatureDecoder(DIM, MAX_BYTES, MAX_SKEW));
        var interactions =
            ProcessFunctionTestHarnesses.forProcessFunction(
                new InteractionDecoder(MAX_BYTES, MAX_SKEW))) {
      items.processElement(raw(0, arrayBomb), 0);
      items.processElement(raw(1, item("ok", floats(DIM, 0.5f), Op.UPSERT)), 0);
      interactions.processElement(raw(0, stringBomb), 0);
      interactions.processElement(raw(1, interaction("u1", "ok", 1f)), 0);

      assertThat(items.extractOutputValues()).hasSize(1);
      assertThat(interactions.extractOutputValues()).hasSize(1);
      RejectedRecord array = rejected(items).get(0);
      RejectedRecord string = rejected(interactions).get(0);
      assertThat(array.kind).isEqualTo(ErrorKind.UNDECODABLE);
      assertThat(array.reason).contains("features declares 400000000 items");
      assertThat(array.rawValue).containsExactly(arrayBomb);
      assertThat(string.kind).isEqualTo(ErrorKind.UNDECODABLE);
      assertThat(string.reason).contains("user_id declares 1500000000 bytes");
    }
  }

  private static byte[] withHeader(long fingerprint, int... body) {
    byte[] out = new byte[10 + body.length];
    out[0] = (byte) 0xC3;
    out[1] = 0x01;
    for (int i = 0; i < 8; i++) {
      out[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    for (int i = 0; i < body.length; i++) {
      out[10 + i] = (byte) body[i];
    }
    return out;
  }
}
