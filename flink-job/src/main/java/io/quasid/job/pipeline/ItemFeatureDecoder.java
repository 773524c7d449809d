package io.quasid.job.pipeline;

import io.quasid.job.config.FeatureSource;
import io.quasid.job.text.ItemTexts;
import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.SourcePosition;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.ErrorKind;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.Op;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes and validates item-feature records. A bad record never fails the job: it goes to the
 * {@link DeadLetters#TAG} side output with its kind, reason, provenance and bytes.
 */
public class ItemFeatureDecoder extends ProcessFunction<RawRecord, ItemFeature> {

  private final WireInput<ItemFeatureEvent> input;
  private final FeatureSource featureSource;
  private final int maxTextChars;
  private final int vectorDim;
  private final int maxRecordBytes;
  private final long maxFutureSkewMillis;

  private transient DeadLetters deadLetters;
  private transient RegistryWait registry;
  private transient Counter textTruncated;
  private transient Counter recordsIn;
  private transient Counter recordsOut;

  /** Reads single-object encoding only. */
  public ItemFeatureDecoder(int vectorDim, int maxRecordBytes, long maxFutureSkewMillis) {
    this(
        WireInput.singleObject(AvroWire.ITEM_FEATURES),
        FeatureSource.VECTOR,
        Integer.MAX_VALUE,
        vectorDim,
        maxRecordBytes,
        maxFutureSkewMillis);
  }

  /**
   * @param featureSource which part of an upsert to encode; text leaves here as {@link
   *     ItemFeature#text}, for the embedding stage
   * @param maxTextChars longer texts are cut to this length
   */
  public ItemFeatureDecoder(
      WireInput<ItemFeatureEvent> input,
      FeatureSource featureSource,
      int maxTextChars,
      int vectorDim,
      int maxRecordBytes,
      long maxFutureSkewMillis) {
    this.input = input;
    this.featureSource = featureSource;
    this.maxTextChars = maxTextChars;
    this.vectorDim = vectorDim;
    this.maxRecordBytes = maxRecordBytes;
    this.maxFutureSkewMillis = maxFutureSkewMillis;
  }

  @Override
  public void open(OpenContext openContext) {
    deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
    recordsIn = getRuntimeContext().getMetricGroup().counter("itemRecordsIn");
    recordsOut = getRuntimeContext().getMetricGroup().counter("itemFeaturesOut");
    textTruncated = getRuntimeContext().getMetricGroup().counter("textTruncated");
    registry =
        new RegistryWait(
            getRuntimeContext().getMetricGroup().counter("registryUnavailableRetries"),
            input.registryMaxWait().toMillis());
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<ItemFeature> out) {
    recordsIn.inc();
    long now = ctx.timerService().currentProcessingTime();
    ItemFeatureEvent event =
        WireEnvelope.open(raw, input.codec(), registry, maxRecordBytes, now, r -> reject(ctx, r));
    if (event == null) {
      return;
    }
    String itemId = event.getItemId();
    if (itemId == null || itemId.isBlank()) {
      reject(ctx, RejectedRecord.of(raw, ErrorKind.EMPTY_ID, "empty item_id", now));
      return;
    }
    long eventTime = event.getEventTime().toEpochMilli();
    String future = WireEnvelope.futureEventTime(raw, eventTime, now, maxFutureSkewMillis);
    if (future != null) {
      reject(ctx, RejectedRecord.of(raw, ErrorKind.INVALID, "item " + itemId + ": " + future, now));
      return;
    }
    if (event.getOp() == Op.DELETE) {
      recordsOut.inc();
      out.collect(ItemFeature.delete(itemId, eventTime));
      return;
    }
    List<Float> features = event.getFeatures();
    boolean fromText =
        featureSource == FeatureSource.TEXT
            || (featureSource == FeatureSource.VECTOR_OR_TEXT && features.isEmpty());
    if (fromText) {
      String text = ItemTexts.compose(event.getText());
      if (text.isEmpty()) {
        String reason =
            "item "
                + itemId
                + ": no text to embed (features.source="
                + featureSource.name().toLowerCase()
                + (features.isEmpty() ? "" : "; the vector is not used in this mode")
                + ")";
        reject(ctx, RejectedRecord.of(raw, ErrorKind.INVALID, reason, now));
        return;
      }
      if (text.length() > maxTextChars) {
        // Never between the two halves of a surrogate pair: a lone half is not valid text.
        int cut =
            Character.isLowSurrogate(text.charAt(maxTextChars)) ? maxTextChars - 1 : maxTextChars;
        text = text.substring(0, cut);
        textTruncated.inc();
      }
      recordsOut.inc();
      SourcePosition at = new SourcePosition(raw.topic, raw.partition, raw.offset);
      out.collect(ItemFeature.text(itemId, text, event.getProductGroupId(), eventTime, at));
      return;
    }
    if (features.size() != vectorDim) {
      String reason = "item " + itemId + ": dimension " + features.size() + ", want " + vectorDim;
      reject(ctx, RejectedRecord.of(raw, ErrorKind.WRONG_DIMENSION, reason, now));
      return;
    }
    float[] vector = new float[vectorDim];
    for (int i = 0; i < vectorDim; i++) {
      float v = features.get(i);
      if (!Float.isFinite(v)) {
        String reason = "item " + itemId + ": feature[" + i + "] = " + v;
        reject(ctx, RejectedRecord.of(raw, ErrorKind.NON_FINITE, reason, now));
        return;
      }
      vector[i] = v;
    }
    recordsOut.inc();
    out.collect(ItemFeature.upsert(itemId, vector, event.getProductGroupId(), eventTime));
  }

  private void reject(Context ctx, RejectedRecord rejected) {
    deadLetters.count(rejected.kind);
    ctx.output(DeadLetters.TAG, rejected);
  }
}
