package io.quasid.job.faults;

import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * What the job must do with one input record, decided independently of the job's operators: the
 * documented validation rules (size, single-object decoding, non-empty ids, dimension, finite
 * values, an event time at most the skew bound past the send time) applied to the record's bytes.
 * The suite compares the committed output against it.
 *
 * <p>Decoding here is the suite's own ({@link IndependentDecoder}: the wire format from the Avro
 * specification and the released schema files, a generic reader), not the job's codec, so a
 * decoding bug of the job cannot agree with itself. It runs in the test JVM with Avro's collection
 * and string limits set (see the {@code faults} profile), so a length bomb is judged without this
 * JVM allocating it.
 */
final class InputOracle {

  /**
   * The verdict on one item-feature record: rejected (with the reason), or a valid upsert or delete
   * of {@code itemId} at {@code eventTimeMillis} (the decoded {@code event_time}, which the job's
   * per-item event-time order compares).
   */
  record ItemVerdict(
      boolean bad, String reason, String itemId, boolean delete, long eventTimeMillis) {
    static ItemVerdict rejected(String reason) {
      return new ItemVerdict(true, reason, null, false, 0);
    }
  }

  /** The verdict on one interaction record: the item it names, or why the decoder rejects it. */
  record InteractionVerdict(String itemId, String reason) {
    boolean bad() {
      return itemId == null;
    }
  }

  private final int vectorDim;
  private final int maxRecordBytes;
  private final long maxFutureSkewMillis;
  private final IndependentDecoder items = new IndependentDecoder("ItemFeatureEvent");
  private final IndependentDecoder interactions = new IndependentDecoder("InteractionEvent");

  InputOracle(int vectorDim, int maxRecordBytes, long maxFutureSkewMillis) {
    this.vectorDim = vectorDim;
    this.maxRecordBytes = maxRecordBytes;
    this.maxFutureSkewMillis = maxFutureSkewMillis;
  }

  /** The verdict on an item record sent with Kafka timestamp {@code sentAt}. */
  ItemVerdict item(byte[] value, long sentAt) {
    if (value == null) {
      return ItemVerdict.rejected("null value");
    }
    if (value.length > maxRecordBytes) {
      return ItemVerdict.rejected("oversize " + value.length + " bytes");
    }
    GenericRecord event;
    try {
      event = items.decode(value);
    } catch (Exception | OutOfMemoryError e) {
      return ItemVerdict.rejected("undecodable: " + e.getClass().getSimpleName());
    }
    String id = event.get("item_id").toString();
    if (id.isBlank()) {
      return ItemVerdict.rejected("empty item_id");
    }
    long time = (Long) event.get("event_time");
    if (time - sentAt > maxFutureSkewMillis) {
      return ItemVerdict.rejected("item " + id + ": event_time in the future");
    }
    if (event.get("op").toString().equals("DELETE")) {
      return new ItemVerdict(false, null, id, true, time);
    }
    @SuppressWarnings("unchecked")
    List<Float> features = (List<Float>) event.get("features");
    if (features.size() != vectorDim) {
      return ItemVerdict.rejected("item " + id + ": dimension " + features.size());
    }
    for (Float f : features) {
      if (!Float.isFinite(f)) {
        return ItemVerdict.rejected("item " + id + ": non-finite feature");
      }
    }
    return new ItemVerdict(false, null, id, false, time);
  }

  /**
   * The item id of an interaction the decoder accepts, or the reason it rejects it (an interaction
   * for an unknown item passes the decoder; whether the item is known is the caller's ledger).
   */
  InteractionVerdict interaction(byte[] value, long sentAt) {
    if (value == null) {
      return new InteractionVerdict(null, "null value");
    }
    if (value.length > maxRecordBytes) {
      return new InteractionVerdict(null, "oversize " + value.length + " bytes");
    }
    GenericRecord event;
    try {
      event = interactions.decode(value);
    } catch (Exception | OutOfMemoryError e) {
      return new InteractionVerdict(null, "undecodable: " + e.getClass().getSimpleName());
    }
    String itemId = event.get("item_id").toString();
    if (event.get("user_id").toString().isBlank() || itemId.isBlank()) {
      return new InteractionVerdict(null, "empty id");
    }
    float weight = (Float) event.get("weight");
    if (!Float.isFinite(weight)) {
      return new InteractionVerdict(null, "weight " + weight);
    }
    if ((Long) event.get("event_time") - sentAt > maxFutureSkewMillis) {
      return new InteractionVerdict(null, "event_time in the future");
    }
    return new InteractionVerdict(itemId, null);
  }
}
