package io.quasid.schemas;

import java.nio.ByteBuffer;

/**
 * The writer schema's id as Apicurio's serializers put it in a record header instead of the value
 * ({@code apicurio.registry.headers.enabled}): {@code apicurio.value.globalId} or {@code
 * apicurio.value.contentId}, an 8-byte big-endian long, with the value the bare Avro body. Which of
 * the two a producer writes follows its {@code apicurio.registry.use-id} (global ids in Apicurio
 * 2's serializers, content ids in Apicurio 3's).
 *
 * @param kind which id the header holds
 * @param id the id
 */
public record HeaderSchemaId(Kind kind, long id) {

  /** The header that names the value's encoding; only {@code BINARY} is Avro's binary encoding. */
  public static final String ENCODING_HEADER = "apicurio.value.encoding";

  /** Which id a header carries, and the registry endpoint that resolves it. */
  public enum Kind {
    GLOBAL_ID("apicurio.value.globalId", "globalIds"),
    CONTENT_ID("apicurio.value.contentId", "contentIds");

    private final String header;
    private final String endpoint;

    Kind(String header, String endpoint) {
      this.header = header;
      this.endpoint = endpoint;
    }

    /** The record header's name. */
    public String header() {
      return header;
    }

    /** The path segment of Apicurio's {@code /ids/{endpoint}/{id}}. */
    String endpoint() {
      return endpoint;
    }

    /** The kind whose header is named {@code name}, or null for any other header. */
    public static Kind ofHeader(String name) {
      for (Kind k : values()) {
        if (k.header.equals(name)) {
          return k;
        }
      }
      return null;
    }
  }

  /**
   * Reads a header's value.
   *
   * @throws AvroWireException the value is not an 8-byte id
   */
  public static HeaderSchemaId parse(Kind kind, byte[] value) throws AvroWireException {
    if (value == null || value.length != Long.BYTES) {
      throw new AvroWireException(
          AvroWireException.Kind.BAD_HEADER,
          "record header "
              + kind.header
              + " holds "
              + (value == null ? "no value" : value.length + " bytes")
              + ", not an 8-byte schema id",
          null);
    }
    return new HeaderSchemaId(kind, ByteBuffer.wrap(value).getLong());
  }

  /**
   * The id a record's Apicurio headers name, or null when it has none.
   *
   * @param idHeader the name of its id header ({@link Kind#header()}), or null
   * @param idValue that header's bytes
   * @param encoding its {@link #ENCODING_HEADER}, or null
   * @throws AvroWireException a header is malformed, or names an encoding other than binary
   */
  public static HeaderSchemaId fromHeaders(String idHeader, byte[] idValue, String encoding)
      throws AvroWireException {
    if (encoding != null && !"BINARY".equals(encoding)) {
      throw new AvroWireException(
          AvroWireException.Kind.BAD_HEADER,
          "record header "
              + ENCODING_HEADER
              + " is "
              + encoding
              + ": only Avro's BINARY encoding is read",
          null);
    }
    Kind kind = idHeader == null ? null : Kind.ofHeader(idHeader);
    return kind == null ? null : parse(kind, idValue);
  }

  @Override
  public String toString() {
    return kind.header + "=" + id;
  }
}
