package io.quasid.schemas;

/**
 * Kafka record headers of the SID topic: part of its wire contract, shared by the job that writes
 * it and the client that reads it (a tombstone has no value, so what it must carry goes here).
 */
public final class SidTopicHeaders {

  /** The item's revision (decimal ASCII), on assignments and tombstones. */
  public static final String REVISION = "quasid.revision";

  private SidTopicHeaders() {}
}
