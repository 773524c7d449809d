package io.quasid.job;

import io.quasid.job.config.FeatureSource;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.TextOptions;
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

  /**
   * With text features, every item event passes the embedding stage in order (events without text
   * pass untouched); in its own slot-sharing group, so its ONNX threads are budgeted apart.
   */
  static DataStream<ItemFeature> attach(DataStream<ItemFeature> items, QuasidJobOptions options) {
    if (options.get(TextOptions.FEATURE_SOURCE) == FeatureSource.VECTOR) {
      return items;
    }
    // Keyed by item, so all of an item's events meet in one subtask and leave it in order.
    SingleOutputStreamOperator<ItemFeature> embedded =
        AsyncDataStream.orderedWait(
                items.keyBy(item -> item.itemId, Types.STRING),
                new TextEmbedding(
                    options.get(TextOptions.BATCH_SIZE), options.get(TextOptions.BATCH_WAIT)),
                options.get(TextOptions.TIMEOUT).toMillis(),
                TimeUnit.MILLISECONDS,
                options.get(TextOptions.CAPACITY))
            .uid("quasid-text-embedding")
            .name("Embed item text")
            .slotSharingGroup("text");
    options.passed(TextOptions.PARALLELISM).ifPresent(embedded::setParallelism);
    // Back to the default group: an operator whose inputs are all in "text" would inherit it, and
    // the whole item path with it. At the stage's parallelism the hop is forward, so per-item order
    // survives it as well.
    return embedded
        .map(item -> item, TypeInformation.of(ItemFeature.class))
        .setParallelism(embedded.getParallelism())
        .uid("quasid-embedded-items")
        .name("Embedded items")
        .slotSharingGroup("default");
  }
}
