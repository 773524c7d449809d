package io.quasid.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;

/**
 * The test-only "v2" schemas in src/test/resources/evolved: each current schema plus one optional
 * string field (its last). Records of v2 are handled generically, as a producer or consumer built
 * against a later release would handle them.
 */
final class EvolvedSchemas {

  static Schema load(String recordName) {
    String path = "/evolved/" + recordName + ".v2.avsc";
    try (InputStream in = EvolvedSchemas.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String extraField(Schema v2) {
    return v2.getFields().get(v2.getFields().size() - 1).name();
  }

  static GenericRecord readGeneric(Schema reader, Schema writer, byte[] bytes) throws IOException {
    BinaryMessageDecoder<GenericRecord> decoder =
        new BinaryMessageDecoder<>(GenericData.get(), reader);
    decoder.addSchema(writer);
    return decoder.decode(bytes);
  }

  static byte[] writeGeneric(Schema writer, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record, out);
    return out.toByteArray();
  }

  /** {@code record} as a v2 producer writes it, with the extra field set to {@code extra}. */
  static <T extends SpecificRecord> byte[] writeWithNewerSchema(
      AvroCodec<T> codec, T record, String extra) throws IOException {
    Schema v2 = load(codec.schema().getName());
    GenericRecord asV2 = readGeneric(v2, codec.schema(), codec.encode(record));
    asV2.put(extraField(v2), extra);
    return writeGeneric(v2, asV2);
  }

  private EvolvedSchemas() {}
}
