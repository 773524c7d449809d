package io.quasid.job.faults;

import io.quasid.schemas.AvroCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * The fault suite's own reading of the wire format, written from the Avro specification and the
 * released {@code .avsc} files rather than with the job's codec (the {@code AvroCodec} instances),
 * so that a bug in the job's decoding cannot agree with itself: the single-object header ({@code C3
 * 01}, the writer schema's CRC-64-AVRO fingerprint, little-endian), a generic reader from that
 * writer schema to the newest one, no byte left over, and every string well-formed UTF-8 (the
 * spec's string type; checked with the JDK's strict decoder on the bytes the reader kept).
 */
final class IndependentDecoder {

  private final Schema newest;
  private final Map<Long, Schema> writers = new HashMap<>();

  /** Knows every released schema of the record {@code name}. */
  IndependentDecoder(String name) {
    // The released .avsc files as they are; only the parsing of them is shared with the job.
    List<Schema> released = AvroCodec.releasedSchemas(name);
    if (released.isEmpty()) {
      throw new IllegalStateException("no released schema of " + name);
    }
    released.forEach(s -> writers.put(SchemaNormalization.parsingFingerprint64(s), s));
    newest = released.get(released.size() - 1);
  }

  /** The record, or an exception saying why the bytes are not one. */
  GenericRecord decode(byte[] value) throws IOException {
    if (value.length < 10 || (value[0] & 0xFF) != 0xC3 || value[1] != 0x01) {
      throw new IOException("no single-object header");
    }
    long fingerprint = 0;
    for (int i = 9; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (value[i] & 0xFF);
    }
    Schema writer = writers.get(fingerprint);
    if (writer == null) {
      throw new IOException("unknown writer schema " + Long.toHexString(fingerprint));
    }
    BinaryDecoder body = DecoderFactory.get().binaryDecoder(value, 10, value.length - 10, null);
    GenericRecord record = new GenericDatumReader<GenericRecord>(writer, newest).read(null, body);
    if (!body.isEnd()) {
      throw new IOException("bytes left over");
    }
    requireUtf8(record);
    return record;
  }

  /**
   * A generic reader keeps strings as {@link Utf8} bytes; it would replace bad ones on toString.
   */
  private static void requireUtf8(Object value) throws IOException {
    if (value instanceof Utf8 s) {
      try {
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(s.getBytes(), 0, s.getByteLength()));
      } catch (CharacterCodingException e) {
        throw new IOException("a string is not UTF-8", e);
      }
    } else if (value instanceof GenericRecord r) {
      for (Schema.Field f : r.getSchema().getFields()) {
        requireUtf8(r.get(f.pos()));
      }
    } else if (value instanceof Collection<?> c) {
      for (Object o : c) {
        requireUtf8(o);
      }
    } else if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        requireUtf8(e.getKey());
        requireUtf8(e.getValue());
      }
    }
  }
}
