package io.quasid.job.pipeline;

import io.quasid.job.types.Interaction;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.ErrorKind;
import io.quasid.schemas.InteractionEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes and validates interaction records; bad ones go to {@link DeadLetters#TAG}. Whether the
 * item id is known can only be decided against the item stream, in {@link KnownItemGate}.
 */
public class InteractionDecoder extends ProcessFunction<RawRecord, SourcedInteraction> {

  private final WireInput<InteractionEvent> input;
  private final int maxRecordBytes;
  private final long maxFutureSkewMillis;

  private transient DeadLetters deadLetters;
  private transient RegistryWait registry;
  private transient Counter recordsIn;
  private transient Counter recordsOut;

  /** Reads single-object encoding only. */
  public InteractionDecoder(int maxRecordBytes, long maxFutureSkewMillis) {
    this(WireInput.singleObject(AvroWire.INTERACTIONS), maxRecordBytes, maxFutureSkewMillis);
  }

  public InteractionDecoder(
      WireInput<InteractionEvent> input, int maxRecordBytes, long maxFutureSkewMillis) {
    this.input = input;
    this.maxRecordBytes = maxRecordBytes;
    this.maxFutureSkewMillis = maxFutureSkewMillis;
  }

  @Override
  public void open(OpenContext openContext) {
    deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
    recordsIn = getRuntimeContext().getMetricGroup().counter("interactionRecordsIn");
    recordsOut = getRuntimeContext().getMetricGroup().counter("interactionsOut");
    registry =
        new RegistryWait(
            getRuntimeContext().getMetricGroup().counter("registryUnavailableRetries"),
            input.registryMaxWait().toMillis());
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<SourcedInteraction> out) {
    recordsIn.inc();
    long now = ctx.timerService().currentProcessingTime();
    InteractionEvent event =
        WireEnvelope.open(raw, input.codec(), registry, maxRecordBytes, now, r -> reject(ctx, r));
    if (event == null) {
      return;
    }
    if (event.getUserId().isBlank() || event.getItemId().isBlank()) {
      String reason = "empty " + (event.getUserId().isBlank() ? "user_id" : "item_id");
      reject(ctx, RejectedRecord.of(raw, ErrorKind.EMPTY_ID, reason, now));
      return;
    }
    if (!Float.isFinite(event.getWeight())) {
      String reason = "weight = " + event.getWeight();
      reject(ctx, RejectedRecord.of(raw, ErrorKind.NON_FINITE, reason, now));
      return;
    }
    long eventTime = event.getEventTime().toEpochMilli();
    String future = WireEnvelope.futureEventTime(raw, eventTime, now, maxFutureSkewMillis);
    if (future != null) {
      reject(ctx, RejectedRecord.of(raw, ErrorKind.INVALID, future, now));
      return;
    }
    recordsOut.inc();
    Interaction interaction =
        new Interaction(
            event.getUserId(), event.getItemId(), event.getAction(), event.getWeight(), eventTime);
    out.collect(new SourcedInteraction(interaction, raw));
  }

  private void reject(Context ctx, RejectedRecord rejected) {
    deadLetters.count(rejected.kind);
    ctx.output(DeadLetters.TAG, rejected);
  }
}
