package io.quasid.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvroWireRoundTripTest {

  static Stream<Arguments> everyType() {
    return Stream.of(
        Arguments.of(AvroWire.ITEM_FEATURES, SampleRecords.itemFeature()),
        Arguments.of(AvroWire.ITEM_FEATURES, SampleRecords.itemDelete()),
        Arguments.of(AvroWire.INTERACTIONS, SampleRecords.interaction()),
        Arguments.of(AvroWire.SID_ASSIGNMENTS, SampleRecords.sidAssignment()),
        Arguments.of(AvroWire.DEAD_LETTERS, SampleRecords.deadLetter()),
        Arguments.of(AvroWire.MIGRATIONS, SampleRecords.migrationSummary()));
  }

  @ParameterizedTest
  @MethodSource("everyType")
  <T extends SpecificRecord> void decodesWhatItEncoded(AvroCodec<T> codec, T record)
      throws Exception {
    byte[] bytes = codec.encode(record);

    assertThat(codec.decode(bytes)).isEqualTo(record);
  }

  @ParameterizedTest
  @MethodSource("everyType")
  <T extends SpecificRecord> void writesTheSingleObjectHeader(AvroCodec<T> codec, T record) {
    byte[] bytes = codec.encode(record);

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(codec.fingerprint());
  }

  @Test
  void keepsOptionalFieldsNull() throws Exception {
    SidAssignment first = SampleRecords.sidAssignment();
    first.setPreviousSid(null);
    DeadLetter noPayload = SampleRecords.deadLetter();
    noPayload.setRawKey(null);
    noPayload.setRawValue(null);

    assertThat(AvroWire.SID_ASSIGNMENTS.decode(AvroWire.SID_ASSIGNMENTS.encode(first)))
        .isEqualTo(first);
    assertThat(AvroWire.DEAD_LETTERS.decode(AvroWire.DEAD_LETTERS.encode(noPayload)))
        .isEqualTo(noPayload);
  }

  @Test
  void defaultsTheInteractionWeightToOne() {
    InteractionEvent plain =
        InteractionEvent.newBuilder()
            .setUserId("u")
            .setItemId("i")
            .setAction("view")
            .setEventTime(SampleRecords.T0)
            .build();

    assertThat(plain.getWeight()).isEqualTo(1.0f);
  }

  @Test
  void survivesJavaSerializationWithItsKnownSchemas() throws Exception {
    AvroCodec<ItemFeatureEvent> codec =
        AvroWire.ITEM_FEATURES.withKnownSchema(EvolvedSchemas.load("ItemFeatureEvent"));
    byte[] newer =
        EvolvedSchemas.writeWithNewerSchema(
            AvroWire.ITEM_FEATURES, SampleRecords.itemFeature(), "x");

    AvroCodec<?> copy = javaRoundTrip(codec);

    assertThat(copy.type()).isEqualTo(ItemFeatureEvent.class);
    assertThat(copy.decode(newer)).isEqualTo(SampleRecords.itemFeature());
  }

  private static AvroCodec<?> javaRoundTrip(AvroCodec<?> codec) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(codec);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (AvroCodec<?>) in.readObject();
    }
  }
}
