package io.quasid.job.config;

/** How the job frames the Avro values it writes. */
public enum ValueFraming {
  /** Avro single-object encoding: C3 01, the schema's 8-byte fingerprint, the body. */
  SINGLE_OBJECT,
  /** Schema-registry framing: 00, the registered schema's 4-byte id, the body. */
  REGISTRY
}
