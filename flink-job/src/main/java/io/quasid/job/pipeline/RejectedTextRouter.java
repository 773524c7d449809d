package io.quasid.job.pipeline;

import io.quasid.job.types.ItemFeature;
import io.quasid.schemas.ErrorKind;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Right after the embedding stage: an event whose text the stage could not embed goes to {@link
 * DeadLetters#TAG} (the stage, an async function, cannot write side outputs itself); every other
 * event passes on.
 */
public class RejectedTextRouter extends ProcessFunction<ItemFeature, ItemFeature> {

  private transient DeadLetters deadLetters;

  @Override
  public void open(OpenContext openContext) {
    deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(ItemFeature item, Context ctx, Collector<ItemFeature> out) {
    if (item.rejection == null) {
      out.collect(item);
      return;
    }
    // The record's bytes were let go after decoding; its position is where to find them.
    String reason =
        item.rejection + " (raw key and value not kept: read them at the source offset)";
    deadLetters.count(ErrorKind.INVALID);
    ctx.output(
        DeadLetters.TAG,
        RejectedRecord.of(
            item.source, ErrorKind.INVALID, reason, ctx.timerService().currentProcessingTime()));
  }
}
