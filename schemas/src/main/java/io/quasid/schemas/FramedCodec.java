package io.quasid.schemas;

import io.quasid.schemas.SchemaRegistry.RegistryUnavailableException;
import io.quasid.schemas.SchemaRegistry.UnknownSchemaIdException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads a topic's values in each framing producers use: Avro single-object encoding ({@code C3 01}
 * + 8-byte fingerprint + body), schema-registry framing ({@code 00} + 4-byte big-endian schema id +
 * body, the Confluent wire format that Apicurio 3 also writes by default), both told apart by the
 * first byte, and Apicurio's header mode (the id in a record header, the value the bare body: see
 * {@link HeaderSchemaId}), told by the header. Writer schemas of the last two are fetched from a
 * {@link SchemaRegistry}. Writes single-object or registry framing, single-object unless told
 * otherwise. Serializable so a Flink function can hold one.
 *
 * @param <T> the generated record class
 */
public final class FramedCodec<T extends SpecificRecord> implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The first byte of the registry framing. */
  public static final byte REGISTRY_MAGIC = 0;

  /** Magic byte and schema id. */
  public static final int REGISTRY_HEADER_LENGTH = 5;

  private final AvroCodec<T> codec;
  private final SchemaRegistry registry;
  private final String writeSubject;
  private transient Map<Object, String> incompatibleIds;
  private transient volatile int writeId = -1;

  private FramedCodec(AvroCodec<T> codec, SchemaRegistry registry, String writeSubject) {
    this.codec = codec;
    this.registry = registry;
    this.writeSubject = writeSubject;
  }

  /** Single-object encoding only: a registry-framed record is rejected with a clear reason. */
  public static <T extends SpecificRecord> FramedCodec<T> singleObject(AvroCodec<T> codec) {
    return new FramedCodec<>(codec, null, null);
  }

  /** Also reads registry framing, writer schemas from {@code registry}. */
  public FramedCodec<T> readingRegistry(SchemaRegistry registry) {
    return new FramedCodec<>(codec, registry, writeSubject);
  }

  /**
   * Writes registry framing, the schema registered under {@code subject} (TopicNameStrategy: {@code
   * <topic>-value}) on the first write. Needs {@link #readingRegistry} first.
   */
  public FramedCodec<T> writingRegistryFraming(String subject) {
    if (registry == null) {
      throw new IllegalStateException("registry framing needs a schema registry");
    }
    return new FramedCodec<>(codec, registry, subject);
  }

  /**
   * Decodes one value.
   *
   * @throws AvroWireException the bytes are not a decodable record of this type (dead-letter them)
   * @throws RegistryUnavailableException the registry could not be asked; the same record may
   *     decode later, so it must not be dead-lettered
   */
  public T decode(byte[] payload) throws AvroWireException, RegistryUnavailableException {
    return decode(payload, null);
  }

  /**
   * Decodes one value whose record may carry an Apicurio id header. With a header the value is the
   * bare body, whatever its first byte (a body can start with {@code 00} or {@code C3}).
   *
   * @param headerId the id from the record's header, or null when it has none
   * @throws AvroWireException the bytes are not a decodable record of this type (dead-letter them)
   * @throws RegistryUnavailableException the registry could not be asked; the same record may
   *     decode later, so it must not be dead-lettered
   */
  public T decode(byte[] payload, HeaderSchemaId headerId)
      throws AvroWireException, RegistryUnavailableException {
    String type = codec.type().getSimpleName();
    if (headerId != null) {
      if (payload == null) {
        throw new AvroWireException(
            AvroWireException.Kind.BAD_HEADER,
            type + " record has " + headerId + " and no value",
            null);
      }
      Schema writer = writerSchema(headerId, type + " record header " + headerId);
      return codec.decodeBody(payload, 0, writer);
    }
    if (payload == null || payload.length == 0 || payload[0] != REGISTRY_MAGIC) {
      return codec.decode(payload);
    }
    if (payload.length < REGISTRY_HEADER_LENGTH) {
      throw new AvroWireException(
          AvroWireException.Kind.BAD_HEADER,
          type + " payload starts with 00 (registry framing) but has " + payload.length + " bytes",
          null);
    }
    int id = ByteBuffer.wrap(payload, 1, 4).getInt();
    Schema writer =
        writerSchema(id, type + " payload in schema-registry framing (00, schema id " + id + ")");
    return codec.decodeBody(payload, REGISTRY_HEADER_LENGTH, writer);
  }

  /** The writer schema {@code id} names, once checked to resolve into this codec's type. */
  private Schema writerSchema(Object id, String what)
      throws AvroWireException, RegistryUnavailableException {
    if (registry == null) {
      throw new AvroWireException(
          AvroWireException.Kind.BAD_HEADER,
          what + " needs a schema registry, and this reader has none: set registry.url",
          null);
    }
    Schema writer;
    try {
      writer =
          id instanceof HeaderSchemaId header ? registry.schema(header) : registry.schema((int) id);
    } catch (UnknownSchemaIdException e) {
      throw new AvroWireException(AvroWireException.Kind.UNKNOWN_SCHEMA, e.getMessage(), e);
    }
    // "" marks a compatible id: the map holds no nulls.
    String incompatible =
        incompatibleIds()
            .computeIfAbsent(
                id, i -> Objects.requireNonNullElse(codec.incompatibility(writer), ""));
    if (!incompatible.isEmpty()) {
      throw new AvroWireException(
          AvroWireException.Kind.UNKNOWN_SCHEMA, what + ": " + incompatible, null);
    }
    return writer;
  }

  /**
   * Registers the writer schema now, when this codec writes registry framing, so that a registry
   * that cannot be reached fails a sink when it starts rather than on its first record.
   */
  public void prepareToWrite() throws RegistryUnavailableException {
    if (writeSubject != null && writeId < 0) {
      writeId = registry.register(writeSubject, codec.schema());
    }
  }

  /**
   * Encodes one value in this codec's framing.
   *
   * @throws RegistryUnavailableException registry framing, and the schema could not be registered
   */
  public byte[] encode(T record) throws RegistryUnavailableException {
    if (writeSubject == null) {
      return codec.encode(record);
    }
    prepareToWrite();
    int id = writeId;
    byte[] body = codec.encodeBody(record);
    return ByteBuffer.allocate(REGISTRY_HEADER_LENGTH + body.length)
        .put(REGISTRY_MAGIC)
        .putInt(id)
        .put(body)
        .array();
  }

  private synchronized Map<Object, String> incompatibleIds() {
    if (incompatibleIds == null) {
      incompatibleIds = new ConcurrentHashMap<>();
    }
    return incompatibleIds;
  }

  private Object readResolve() {
    return new FramedCodec<>(codec, registry, writeSubject);
  }
}
