package io.quasid.job;

import io.quasid.job.config.FeatureSource;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.TextOptions;
import io.quasid.job.pipeline.DeadLetters;
import io.quasid.job.pipeline.RejectedRecord;
import io.quasid.job.pipeline.RejectedTextRouter;
import io.quasid.job.text.TextEmbedding;
import io.quasid.job.types.ItemFeature;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** The stage that turns item text into feature vectors, when items are described by text. */
final class TextEmbeddingStage {

  private TextEmbeddingStage() {}

  /** The item events for the rest of the job, and every item record rejected on their way. */
  record Output(DataStream<ItemFeature> items, DataStream<RejectedRecord> deadLetters) {}

  /**
   * With text features, every item event passes the embedding stage in order (events without text
   * pass untouched); in its own slot-sharing group, so its ONNX threads are budgeted apart. The
   * dead letters are the decoder's and, with text features, those of texts the encoder failed on.
   */
  static Output attach(SingleOutputStreamOperator<ItemFeature> decoded, QuasidJobOptions options) {
    DataStream<RejectedRecord> decoderDeadLetters = decoded.getSideOutput(DeadLetters.TAG);
    if (options.get(TextOptions.FEATURE_SOURCE) == FeatureSource.VECTOR) {
      return new Output(decoded, decoderDeadLetters);
    }
    // Keyed by item, so all of an item's events meet in one subtask and leave it in order.
    SingleOutputStreamOperator<ItemFeature> embedded =
        AsyncDataStream.orderedWait(
                decoded.keyBy(item -> item.itemId, Types.STRING),
                new TextEmbedding(
                    options.get(TextOptions.BATCH_SIZE),
                    options.get(TextOptions.BATCH_WAIT),
                    options.get(TextOptions.INTRA_OP_THREADS)),
                options.get(TextOptions.TIMEOUT).toMillis(),
                TimeUnit.MILLISECONDS,
                options.get(TextOptions.CAPACITY))
            .uid("quasid-text-embedding")
            .name("Embed item text")
            .slotSharingGroup("text");
    options.passed(TextOptions.PARALLELISM).ifPresent(embedded::setParallelism);
    // Back to the default group: an operator whose inputs are all in "text" would inherit it, and
    // the whole item path with it. At the stage's parallelism the hop is forward, so per-item order
    // survives it as well. The async stage has no side output: this operator dead-letters the
    // events it rejected.
    SingleOutputStreamOperator<ItemFeature> routed =
        embedded
            .process(new RejectedTextRouter(), TypeInformation.of(ItemFeature.class))
            .setParallelism(embedded.getParallelism())
            .uid("quasid-embedded-items")
            .name("Embedded items")
            .slotSharingGroup("default");
    return new Output(routed, decoderDeadLetters.union(routed.getSideOutput(DeadLetters.TAG)));
  }
}
