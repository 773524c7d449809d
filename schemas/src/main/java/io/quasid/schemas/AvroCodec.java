package io.quasid.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one generated record type in Avro single-object encoding (see the module
 * README). Immutable and thread-safe; {@link Serializable} so a Flink function can hold one.
 *
 * <p>The reader schema is always the generated class's schema. Records written with another version
 * of it decode only if that writer schema is known: pass it to {@link #withKnownSchema}.
 *
 * @param <T> the generated record class
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final int HEADER_LENGTH = 10;

  private final Class<T> type;
  private final List<Schema> otherWriterSchemas;
  private final transient Schema schema;
  private final transient BinaryMessageEncoder<T> encoder;
  private final transient Map<Long, Schema> writerSchemas;
  private final transient Map<Schema, SpecificDatumReader<T>> bodyReaders;

  private AvroCodec(Class<T> type, List<Schema> otherWriterSchemas) {
    this.type = type;
    this.otherWriterSchemas = List.copyOf(otherWriterSchemas);
    // The class's own model carries the logical-type conversions (timestamp-millis -> Instant).
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.writerSchemas = new HashMap<>();
    this.bodyReaders = new ConcurrentHashMap<>();
    writerSchemas.put(SchemaNormalization.parsingFingerprint64(schema), schema);
    otherWriterSchemas.forEach(
        s -> writerSchemas.put(SchemaNormalization.parsingFingerprint64(s), s));
  }

  /** A codec that reads and writes {@code type} with its current schema only. */
  public static <T extends SpecificRecord> AvroCodec<T> forType(Class<T> type) {
    return new AvroCodec<>(type, List.of());
  }

  /**
   * A codec that additionally decodes records written with {@code writerSchema} (an older or newer
   * version of the same record), resolving them to the current schema by Avro's rules.
   */
  public AvroCodec<T> withKnownSchema(Schema writerSchema) {
    List<Schema> known = new ArrayList<>(otherWriterSchemas);
    known.add(writerSchema);
    return new AvroCodec<>(type, known);
  }

  /**
   * A codec that also decodes records written with any released version of this type's schema, read
   * from {@code io/quasid/schemas/history/<Name>/1.avsc, 2.avsc, ...} on the classpath. A topic
   * outlives the code that wrote it, so a reader must know every writer schema it may meet; the
   * history is append-only (a test fails the build while the current schema is not in it).
   */
  public AvroCodec<T> withReleasedSchemas() {
    List<Schema> known = new ArrayList<>(otherWriterSchemas);
    for (Schema released : releasedSchemas(schema.getName())) {
      if (SchemaNormalization.parsingFingerprint64(released) != fingerprint()) {
        known.add(released);
      }
    }
    return new AvroCodec<>(type, known);
  }

  /** Every released schema of the record named {@code name}, oldest first. */
  public static List<Schema> releasedSchemas(String name) {
    List<Schema> released = new ArrayList<>();
    for (int version = 1; ; version++) {
      String path = "/io/quasid/schemas/history/" + name + "/" + version + ".avsc";
      try (InputStream in = AvroCodec.class.getResourceAsStream(path)) {
        if (in == null) {
          return released;
        }
        released.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read released schema " + path, e);
      }
    }
  }

  public Class<T> type() {
    return type;
  }

  /** The schema records are written with and resolved to. */
  public Schema schema() {
    return schema;
  }

  /** The CRC-64-AVRO fingerprint of {@link #schema()}, as written in every header. */
  public long fingerprint() {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /**
   * Encodes a record. Throws an unchecked Avro exception if the record breaks its own schema (a
   * null in a non-null field), which is a programming error rather than bad input.
   */
  public byte[] encode(T record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try {
      encoder.encode(record, out);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory stream cannot fail", e);
    }
    return out.toByteArray();
  }

  /** Decodes a whole payload into a record of the current schema. */
  public T decode(byte[] payload) throws AvroWireException {
    if (payload == null || payload.length < HEADER_LENGTH) {
      throw new AvroWireException(
          AvroWireException.Kind.BAD_HEADER,
          type.getSimpleName()
              + " payload has "
              + (payload == null ? "no bytes (null)" : payload.length + " bytes")
              + ", the single-object header alone is "
              + HEADER_LENGTH,
          null);
    }
    if (payload[0] != (byte) 0xC3 || payload[1] != 0x01) {
      throw new AvroWireException(
          AvroWireException.Kind.BAD_HEADER,
          type.getSimpleName()
              + " payload starts with "
              + HexFormat.ofDelimiter(" ").formatHex(payload, 0, 2)
              + ", expected c3 01 (Avro single-object encoding)",
          null);
    }
    Schema writer = writerSchemas.get(headerFingerprint(payload));
    if (writer == null) {
      throw new AvroWireException(
          AvroWireException.Kind.UNKNOWN_SCHEMA,
          type.getSimpleName()
              + " reader knows no writer schema with fingerprint "
              + HexFormat.of().formatHex(payload, 2, HEADER_LENGTH)
              + " (little-endian); this reader's own is "
              + Long.toHexString(fingerprint()),
          null);
    }
    return decodeBody(payload, HEADER_LENGTH, writer);
  }

  /**
   * Encodes a record's Avro binary body alone, with no header: what a schema-registry framing puts
   * after its own header.
   */
  public byte[] encodeBody(T record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      new SpecificDatumWriter<T>(schema, SpecificData.getForClass(type)).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory stream cannot fail", e);
    }
    return out.toByteArray();
  }

  /**
   * Why records written with {@code writer} cannot be read as this type, or null when they can
   * (Avro's resolution rules, the record names included).
   */
  public String incompatibility(Schema writer) {
    if (writer.getType() != Schema.Type.RECORD || !writer.getName().equals(schema.getName())) {
      return "writer schema is "
          + (writer.getType() == Schema.Type.RECORD ? writer.getFullName() : writer.getType())
          + ", this reader wants record "
          + schema.getFullName();
    }
    var result = SchemaCompatibility.checkReaderWriterCompatibility(schema, writer).getResult();
    return result.getCompatibility() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE
        ? null
        : "writer schema cannot be read as "
            + schema.getFullName()
            + ": "
            + result.getIncompatibilities();
  }

  /**
   * Decodes the Avro binary body that starts at {@code offset} and fills the rest of the payload,
   * written with {@code writer} (which {@link #incompatibility} accepted), into a record of the
   * current schema. The same length and trailing-byte checks as {@link #decode} apply.
   */
  public T decodeBody(byte[] payload, int offset, Schema writer) throws AvroWireException {
    String violation = WireBodyCheck.violation(writer, payload, offset);
    if (violation != null) {
      throw new AvroWireException(
          AvroWireException.Kind.MALFORMED_BODY,
          type.getSimpleName() + " body is malformed: " + violation,
          null);
    }
    // Over the array itself: Avro's direct decoder reads an InputStream byte by byte, and its
    // float arrays were the largest Java cost of the job's decoders (streaming benchmark profile).
    BinaryDecoder body =
        DecoderFactory.get().binaryDecoder(payload, offset, payload.length - offset, null);
    T record;
    int left;
    try {
      SpecificDatumReader<T> reader =
          bodyReaders.computeIfAbsent(
              writer, w -> new SpecificDatumReader<>(w, schema, SpecificData.getForClass(type)));
      record = reader.read(null, body);
      left = body.inputStream().available();
    } catch (IOException | RuntimeException e) {
      // Garbage bodies surface as EOF, AvroRuntimeException, SystemLimitException or worse.
      throw new AvroWireException(
          AvroWireException.Kind.MALFORMED_BODY,
          type.getSimpleName() + " body does not decode: " + e,
          e);
    }
    if (left > 0) {
      throw new AvroWireException(
          AvroWireException.Kind.MALFORMED_BODY,
          type.getSimpleName() + " body decoded with " + left + " bytes left over",
          null);
    }
    return record;
  }

  /** The writer fingerprint of a single-object header (little-endian after the marker). */
  private static long headerFingerprint(byte[] payload) {
    long fingerprint = 0;
    for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (payload[i] & 0xFF);
    }
    return fingerprint;
  }

  private Object readResolve() {
    return new AvroCodec<>(type, otherWriterSchemas);
  }
}
