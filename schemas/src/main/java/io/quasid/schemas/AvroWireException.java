package io.quasid.schemas;

/**
 * A payload could not be decoded as the expected record type. Checked on purpose: every consumer of
 * untrusted bytes must decide what to do with them (usually: route them to the dead-letter topic
 * with {@link #kind()} and {@link #getMessage()} as the reason).
 */
public final class AvroWireException extends Exception {

  /** What was wrong with the payload. */
  public enum Kind {
    /** Null, too short for the 10-byte header, or not starting with the 0xC3 0x01 marker. */
    BAD_HEADER,
    /** The header names a writer schema fingerprint this reader does not know. */
    UNKNOWN_SCHEMA,
    /**
     * The header is fine but the body does not decode with the writer schema, or bytes trail it.
     */
    MALFORMED_BODY
  }

  private final Kind kind;

  AvroWireException(Kind kind, String message, Throwable cause) {
    super(kind + ": " + message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
