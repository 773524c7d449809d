package io.quasid.job.faults;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.InteractionEvent;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.Op;
import java.util.List;

/**
 * What the job must do with one input record, decided independently of the job's operators: the
 * documented validation rules (size, single-object decoding, non-empty ids, dimension, finite
 * values) applied to the record's bytes. The suite compares the committed output against it.
 *
 * <p>Decoding here runs in the test JVM with Avro's collection and string limits set (see the
 * {@code faults} profile), so a length bomb is judged without this JVM allocating it.
 */
final class InputOracle {

  /** The verdict on one item-feature record. */
  record ItemVerdict(boolean bad, String itemId, boolean delete) {
    static ItemVerdict rejected() {
      return new ItemVerdict(true, null, false);
    }
  }

  private final int vectorDim;
  private final int maxRecordBytes;

  InputOracle(int vectorDim, int maxRecordBytes) {
    this.vectorDim = vectorDim;
    this.maxRecordBytes = maxRecordBytes;
  }

  ItemVerdict item(byte[] value) {
    if (value == null || value.length > maxRecordBytes) {
      return ItemVerdict.rejected();
    }
    ItemFeatureEvent event;
    try {
      event = AvroWire.ITEM_FEATURES.decode(value);
    } catch (Exception | OutOfMemoryError e) {
      return ItemVerdict.rejected();
    }
    String id = event.getItemId();
    if (id == null || id.isBlank()) {
      return ItemVerdict.rejected();
    }
    if (event.getOp() == Op.DELETE) {
      return new ItemVerdict(false, id, true);
    }
    List<Float> features = event.getFeatures();
    if (features.size() != vectorDim) {
      return ItemVerdict.rejected();
    }
    for (Float f : features) {
      if (!Float.isFinite(f)) {
        return ItemVerdict.rejected();
      }
    }
    return new ItemVerdict(false, id, false);
  }

  /**
   * The item id of a valid interaction, or null when the decoder rejects it (an interaction for an
   * unknown item is valid here; whether the item is known is the caller's ledger).
   */
  String interactionItem(byte[] value) {
    if (value == null || value.length > maxRecordBytes) {
      return null;
    }
    InteractionEvent event;
    try {
      event = AvroWire.INTERACTIONS.decode(value);
    } catch (Exception | OutOfMemoryError e) {
      return null;
    }
    if (event.getUserId().isBlank()
        || event.getItemId().isBlank()
        || !Float.isFinite(event.getWeight())) {
      return null;
    }
    return event.getItemId();
  }
}
