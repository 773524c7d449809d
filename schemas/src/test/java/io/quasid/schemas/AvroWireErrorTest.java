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

  @Test
  void rejectsAnArrayLengthBombWithoutAllocatingIt() {
    // 22 bytes that declare 4e8 floats: Avro alone allocates them and throws OutOfMemoryError.
    byte[] bomb =
        concat(
            header(AvroWire.ITEM_FEATURES),
            new byte[] {2, 'a'}, // item_id "a"
            varint(400_000_000L)); // features: one block of 4e8 floats, none present
    assertThat(bomb.length).isLessThanOrEqualTo(22);

    AvroWireException e = failure(bomb);

    assertThat(e.kind()).isEqualTo(AvroWireException.Kind.MALFORMED_BODY);
    assertThat(e)
        .hasMessageContaining("ItemFeatureEvent.features")
        .hasMessageContaining("400000000 items");
  }

  @Test
  void rejectsAStringLengthBombWithoutAllocatingIt() {
    // 15 bytes whose user_id declares a 1.5e9-byte string.
    byte[] bomb = concat(header(AvroWire.INTERACTIONS), varint(1_500_000_000L));
    assertThat(bomb.length).isLessThanOrEqualTo(15);

    AvroWireException e =
        catchThrowableOfType(AvroWireException.class, () -> AvroWire.INTERACTIONS.decode(bomb));

    assertThat(e.kind()).isEqualTo(AvroWireException.Kind.MALFORMED_BODY);
    assertThat(e).hasMessageContaining("InteractionEvent.user_id declares 1500000000 bytes");
  }

  @Test
  void rejectsStringsThatAreNotUtf8InsteadOfDecodingThemAsReplacementCharacters()
      throws AvroWireException {
    ItemFeatureEvent event = SampleRecords.itemFeature();
    event.setItemId("ab");
    byte[] good = AvroWire.ITEM_FEATURES.encode(event);
    int at = indexOf(good, new byte[] {4, 'a', 'b'}) + 1; // item_id: length 2, then its bytes

    byte[][] bad = {
      {(byte) 0xC3, 'b'}, // a lead byte without its continuation
      {(byte) 0xC0, (byte) 0x80}, // overlong NUL
      {(byte) 0xED, (byte) 0xA0}, // start of an encoded surrogate, cut short
      {(byte) 0xFF, 'b'}, // never valid in UTF-8
    };
    for (byte[] b : bad) {
      byte[] payload = good.clone();
      payload[at] = b[0];
      payload[at + 1] = b[1];
      AvroWireException e = failure(payload);
      assertThat(e.kind()).isEqualTo(AvroWireException.Kind.MALFORMED_BODY);
      assertThat(e).hasMessageContaining("ItemFeatureEvent.item_id is not valid UTF-8");
    }
    // Well-formed multi-byte text still decodes.
    event.setItemId("é€😀");
    assertThat(AvroWire.ITEM_FEATURES.decode(AvroWire.ITEM_FEATURES.encode(event)).getItemId())
        .isEqualTo("é€😀");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void rejectsANegativeBlockCountBombAndABadUnionBranch() {
    byte[] negativeBlock =
        concat(
            header(AvroWire.ITEM_FEATURES),
            new byte[] {2, 'a'},
            varint(-300_000_000L), // a block of 3e8 items with its byte size
            varint(1_200_000_000L));
    assertThat(failure(negativeBlock).kind()).isEqualTo(AvroWireException.Kind.MALFORMED_BODY);

    byte[] badBranch =
        concat(
            header(AvroWire.ITEM_FEATURES),
            new byte[] {2, 'a'},
            varint(0), // no features
            varint(7)); // product_group_id: branch 7 of ["null", "string"]
    AvroWireException e = failure(badBranch);
    assertThat(e.kind()).isEqualTo(AvroWireException.Kind.MALFORMED_BODY);
    assertThat(e).hasMessageContaining("union branch 7 of 2");
  }

  @Test
  void randomMutationsOfValidRecordsNeverEscapeAsAnythingButAvroWireException() {
    Random random = new Random(11);
    byte[] interaction = AvroWire.INTERACTIONS.encode(SampleRecords.interaction());
    int rejected = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] base = i % 2 == 0 ? valid : interaction;
      AvroCodec<?> codec = i % 2 == 0 ? AvroWire.ITEM_FEATURES : AvroWire.INTERACTIONS;
      byte[] mutated = Arrays.copyOf(base, 11 + random.nextInt(base.length + 8 - 11));
      for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
        int at = 10 + random.nextInt(mutated.length - 10);
        mutated[at] ^= (byte) (1 << random.nextInt(8));
      }
      try {
        codec.decode(mutated); // anything but AvroWireException (an Error above all) fails here
      } catch (AvroWireException expected) {
        rejected++;
      }
    }
    assertThat(rejected).isGreaterThan(10_000);
  }

  private static byte[] header(AvroCodec<?> codec) {
    byte[] h = new byte[10];
    h[0] = (byte) 0xC3;
    h[1] = 0x01;
    long fp = codec.fingerprint();
    for (int i = 0; i < 8; i++) {
      h[2 + i] = (byte) (fp >>> (8 * i));
    }
    return h;
  }

  private static byte[] varint(long value) {
    long zigzag = (value << 1) ^ (value >> 63);
    byte[] out = new byte[10];
    int n = 0;
    while ((zigzag & ~0x7FL) != 0) {
      out[n++] = (byte) ((zigzag & 0x7F) | 0x80);
      zigzag >>>= 7;
    }
    out[n++] = (byte) zigzag;
    return Arrays.copyOf(out, n);
  }

  private static byte[] concat(byte[]... parts) {
    int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static AvroWireException failure(byte[] payload) {
    return catchThrowableOfType(
        AvroWireException.class, () -> AvroWire.ITEM_FEATURES.decode(payload));
  }
}
