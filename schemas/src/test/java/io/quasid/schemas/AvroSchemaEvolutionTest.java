package io.quasid.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both directions of compatibility, against the test-only v2 schemas with one added field. */
class AvroSchemaEvolutionTest {

  static Stream<Arguments> everyType() {
    return Stream.of(
        Arguments.of(AvroWire.ITEM_FEATURES, SampleRecords.itemFeature()),
        Arguments.of(AvroWire.INTERACTIONS, SampleRecords.interaction()),
        Arguments.of(AvroWire.SID_ASSIGNMENTS, SampleRecords.sidAssignment()),
        Arguments.of(AvroWire.DEAD_LETTERS, SampleRecords.deadLetter()),
        Arguments.of(AvroWire.MIGRATIONS, SampleRecords.migrationSummary()));
  }

  @ParameterizedTest
  @MethodSource("everyType")
  <T extends SpecificRecord> void newerReaderReadsCurrentRecords(AvroCodec<T> codec, T record)
      throws Exception {
    Schema current = codec.schema();
    Schema v2 = EvolvedSchemas.load(current.getName());
    byte[] bytes = codec.encode(record);

    GenericRecord byNewer = EvolvedSchemas.readGeneric(v2, current, bytes);
    GenericRecord byCurrent = EvolvedSchemas.readGeneric(current, current, bytes);

    assertThat(byNewer.get(EvolvedSchemas.extraField(v2))).isNull();
    for (Schema.Field field : current.getFields()) {
      // compare(), not equals(): the current schema reads strings as String, v2 as Utf8.
      assertThat(
              GenericData.get()
                  .compare(byNewer.get(field.name()), byCurrent.get(field.name()), field.schema()))
          .as(field.name())
          .isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("everyType")
  <T extends SpecificRecord> void currentReaderReadsNewerRecordsOnceItKnowsTheirSchema(
      AvroCodec<T> codec, T record) throws Exception {
    Schema v2 = EvolvedSchemas.load(codec.schema().getName());
    byte[] newer = EvolvedSchemas.writeWithNewerSchema(codec, record, "written by v2");

    assertThat(codec.withKnownSchema(v2).decode(newer)).isEqualTo(record);
    AvroWireException unknown =
        catchThrowableOfType(AvroWireException.class, () -> codec.decode(newer));
    assertThat(unknown.kind()).isEqualTo(AvroWireException.Kind.UNKNOWN_SCHEMA);
  }

  @Test
  void currentReaderReadsAnErrorKindAddedLaterAsInvalid() throws Exception {
    Schema current = DeadLetter.getClassSchema();
    Schema v2 = EvolvedSchemas.load("DeadLetter");
    GenericRecord newer =
        EvolvedSchemas.readGeneric(
            v2, current, AvroWire.DEAD_LETTERS.encode(SampleRecords.deadLetter()));
    newer.put(
        "error_kind",
        new GenericData.EnumSymbol(v2.getField("error_kind").schema(), "RATE_LIMITED"));

    DeadLetter read =
        AvroWire.DEAD_LETTERS.withKnownSchema(v2).decode(EvolvedSchemas.writeGeneric(v2, newer));

    assertThat(read.getErrorKind()).isEqualTo(ErrorKind.INVALID);
    assertThat(read.getReason()).isEqualTo(SampleRecords.deadLetter().getReason());
  }
}
