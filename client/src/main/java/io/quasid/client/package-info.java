/**
 * A client for the SID topic ({@code sid-assignments}): {@link io.quasid.client.SidTable}
 * materialises it into an in-memory table (item to SID, SID to item, code prefix to items, live
 * model versions), derives version migrations from the records, and serves the valid-SID prefix
 * trie with per-batch deltas for constrained decoding. {@link io.quasid.client.SidIndex} is the
 * same table without Kafka, for a service that reads the topic itself.
 */
package io.quasid.client;
