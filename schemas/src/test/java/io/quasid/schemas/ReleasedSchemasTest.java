package io.quasid.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records on a topic outlive the release that wrote them: every codec the job and the client use
 * reads every released writer schema of its type.
 */
class ReleasedSchemasTest {

  static Stream<AvroCodec<?>> everyCodec() {
    return Stream.of(
        AvroWire.ITEM_FEATURES,
        AvroWire.INTERACTIONS,
        AvroWire.SID_ASSIGNMENTS,
        AvroWire.DEAD_LETTERS,
        AvroWire.MIGRATIONS);
  }

  @ParameterizedTest
  @MethodSource("everyCodec")
  void theCurrentSchemaIsTheNewestReleasedOne(AvroCodec<?> codec) {
    List<Schema> released = AvroCodec.releasedSchemas(codec.schema().getName());

    assertThat(released)
        .as(
            "a changed schema must be added to src/main/resources/io/quasid/schemas/history/%s"
                + " as the next version, keeping the earlier ones",
            codec.schema().getName())
        .isNotEmpty();
    assertThat(SchemaNormalization.parsingFingerprint64(released.get(released.size() - 1)))
        .isEqualTo(codec.fingerprint());
  }

  @ParameterizedTest
  @MethodSource("everyCodec")
  <T extends SpecificRecord> void readsRecordsOfEveryReleasedSchema(AvroCodec<T> codec)
      throws Exception {
    T sample = sampleOf(codec);
    for (Schema released : AvroCodec.releasedSchemas(codec.schema().getName())) {
      byte[] old = writtenWith(released, codec, sample);

      assertThat(codec.decode(old)).as("written with %s", released).isNotNull();
    }
  }

  @Test
  void aSidAssignmentWrittenBeforeRevisionsExistedReadsAsRevisionZero() throws Exception {
    Schema beforeRevisions = AvroCodec.releasedSchemas("SidAssignment").get(0);
    assertThat(beforeRevisions.getField("revision")).isNull();
    byte[] old =
        writtenWith(beforeRevisions, AvroWire.SID_ASSIGNMENTS, SampleRecords.sidAssignment());

    SidAssignment read = AvroWire.SID_ASSIGNMENTS.decode(old);

    assertThat(read.getRevision()).isZero();
    assertThat(read.getSid()).isEqualTo(SampleRecords.sidAssignment().getSid());
    AvroWireException currentOnly =
        catchThrowableOfType(
            AvroWireException.class, () -> AvroCodec.forType(SidAssignment.class).decode(old));
    assertThat(currentOnly.kind()).isEqualTo(AvroWireException.Kind.UNKNOWN_SCHEMA);
  }

  @Test
  void aDeadLetterWrittenBeforeLengthsExistedReadsWithoutThem() throws Exception {
    Schema beforeLengths = AvroCodec.releasedSchemas("DeadLetter").get(0);
    byte[] old = writtenWith(beforeLengths, AvroWire.DEAD_LETTERS, SampleRecords.deadLetter());

    DeadLetter read = AvroWire.DEAD_LETTERS.decode(old);

    assertThat(read.getRawKeyLength()).isNull();
    assertThat(read.getRawValueLength()).isNull();
    assertThat(read.getReason()).isEqualTo(SampleRecords.deadLetter().getReason());
  }

  /** {@code record} as a producer of the release with schema {@code writer} wrote it. */
  private static <T extends SpecificRecord> byte[] writtenWith(
      Schema writer, AvroCodec<T> codec, T record) throws Exception {
    GenericRecord asWriter =
        EvolvedSchemas.readGeneric(writer, codec.schema(), codec.encode(record));
    return EvolvedSchemas.writeGeneric(writer, asWriter);
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> T sampleOf(AvroCodec<T> codec) {
    return (T)
        switch (codec.schema().getName()) {
          case "ItemFeatureEvent" -> SampleRecords.itemFeature();
          case "InteractionEvent" -> SampleRecords.interaction();
          case "SidAssignment" -> SampleRecords.sidAssignment();
          case "DeadLetter" -> SampleRecords.deadLetter();
          case "MigrationSummary" -> SampleRecords.migrationSummary();
          default -> throw new IllegalArgumentException(codec.schema().getName());
        };
  }
}
