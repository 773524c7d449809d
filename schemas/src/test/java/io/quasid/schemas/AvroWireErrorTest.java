package io.quasid.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AvroWireErrorTest {

  private final byte[] valid = AvroWire.ITEM_FEATURES.encode(SampleRecords.itemFeature());

  @Test
  void rejectsMissingAndShortPayloadsAsBadHeader() {
    assertThat(failure(null).kind()).isEqualTo(AvroWireException.Kind.BAD_HEADER);
    assertThat(failure(new byte[0]).kind()).isEqualTo(AvroWireException.Kind.BAD_HEADER);
    AvroWireException shortOne = failure(Arrays.copyOf(valid, 9));
    assertThat(shortOne.kind()).isEqualTo(AvroWireException.Kind.BAD_HEADER);
    assertThat(shortOne).hasMessageContaining("9 bytes");
  }

  @Test
  void rejectsWrongMagicAsBadHeader() {
    byte[] wrongMagic = valid.clone();
    wrongMagic[0] = 0x00;

    AvroWireException e = failure(wrongMagic);

    assertThat(e.kind()).isEqualTo(AvroWireException.Kind.BAD_HEADER);
    assertThat(e).hasMessageContaining("00 01").hasMessageContaining("expected c3 01");
  }

  @Test
  void rejectsRandomGarbageAsBadHeader() {
    byte[] garbage = new byte[200];
    new Random(7).nextBytes(garbage);
    garbage[0] = 0x42;

    assertThat(failure(garbage).kind()).isEqualTo(AvroWireException.Kind.BAD_HEADER);
  }

  @Test
  void rejectsAnotherTypesRecordAsUnknownSchema() {
    byte[] interaction = AvroWire.INTERACTIONS.encode(SampleRecords.interaction());

    AvroWireException e = failure(interaction);

    assertThat(e.kind()).isEqualTo(AvroWireException.Kind.UNKNOWN_SCHEMA);
    assertThat(e).hasMessageContaining("fingerprint");
  }

  @Test
  void rejectsTruncatedBodyAsMalformed() {
    AvroWireException e = failure(Arrays.copyOf(valid, valid.length - 3));

    assertThat(e.kind()).isEqualTo(AvroWireException.Kind.MALFORMED_BODY);
  }

  @Test
  void rejectsGarbageBodyBehindAValidHeaderAsMalformed() {
    byte[] garbageBody = Arrays.copyOf(valid, 40);
    Arrays.fill(garbageBody, 10, garbageBody.length, (byte) 0xFF);

    assertThat(failure(garbageBody).kind()).isEqualTo(AvroWireException.Kind.MALFORMED_BODY);
  }

  @Test
  void rejectsTrailingBytesAsMalformed() {
    AvroWireException e = failure(Arrays.copyOf(valid, valid.length + 2));

    assertThat(e.kind()).isEqualTo(AvroWireException.Kind.MALFORMED_BODY);
    assertThat(e).hasMessageContaining("2 bytes left over");
  }

  private static AvroWireException failure(byte[] payload) {
    return catchThrowableOfType(
        AvroWireException.class, () -> AvroWire.ITEM_FEATURES.decode(payload));
  }
}
