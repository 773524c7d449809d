package io.quasid.job.pipeline;

import io.quasid.schemas.AvroWireException;
import io.quasid.schemas.FramedCodec;
import io.quasid.schemas.HeaderSchemaId;
import io.quasid.schemas.SchemaRegistry.RegistryUnavailableException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a value, waiting out a schema registry that cannot answer. A record whose writer schema
 * the registry cannot serve right now is valid data: dead-lettering it would lose it, and skipping
 * it would reorder the item's events. So the decoder holds the record and retries with capped
 * backoff, which backpressures the source; only a schema id the registry says it does not have is
 * undecodable. Ids already fetched are cached, so an outage stops only records with new ids.
 *
 * <p>The wait blocks the task thread, and with it checkpoints; after {@code registry.max-wait}
 * (below the checkpoint timeout) it fails the task with the registry's error, so the failover names
 * the cause, and the source rewinds to the last checkpoint: nothing is lost.
 */
final class RegistryWait {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryWait.class);
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  private static final long LOG_EVERY_MILLIS = 30_000;

  private final Counter retries;
  private final long maxWaitMillis;

  RegistryWait(Counter retries, long maxWaitMillis) {
    this.retries = retries;
    this.maxWaitMillis = maxWaitMillis;
  }

  <T extends SpecificRecord> T decode(FramedCodec<T> codec, byte[] value, HeaderSchemaId headerId)
      throws AvroWireException {
    long backoff = FIRST_BACKOFF_MILLIS;
    long waitingSince = System.currentTimeMillis();
    long lastLog = 0;
    while (true) {
      try {
        return codec.decode(value, headerId);
      } catch (RegistryUnavailableException e) {
        retries.inc();
        long now = System.currentTimeMillis();
        if (now - waitingSince >= maxWaitMillis) {
          throw new IllegalStateException(
              "schema registry unavailable for "
                  + (now - waitingSince)
                  + " ms (registry.max-wait); failing over to retry from the last checkpoint",
              e);
        }
        if (now - lastLog >= LOG_EVERY_MILLIS) {
          LOG.warn(
              "Schema registry unavailable for {} ms, holding the record and retrying: {}",
              now - waitingSince,
              e.getMessage());
          lastLog = now;
        }
        sleep(backoff);
        backoff = Math.min(2 * backoff, MAX_BACKOFF_MILLIS);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // The task is being cancelled: the record stays unacknowledged and is read again on restore.
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cancelled while waiting for the schema registry", e);
    }
  }
}
