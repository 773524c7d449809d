package io.quasid.sql;

import io.quasid.model.MicroBatcher;
import io.quasid.model.QuasidModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * ML_PREDICT's default (async) mode, micro-batched: one thread encodes up to {@code batch-size}
 * rows per TensorFlow call, waiting at most {@code batch-wait} for a batch to fill. With Flink's
 * {@code max-concurrent-operations} rows in flight, this is what makes SQL inference fast.
 */
public final class QuasidAsyncPredictFunction extends AsyncPredictFunction {

  private static final long serialVersionUID = 1L;

  private final ModelSource source;
  private final int batchSize;
  private final Duration batchWait;

  private transient MicroBatcher<RowData, Collection<RowData>> batcher;

  QuasidAsyncPredictFunction(ModelSource source, int batchSize, Duration batchWait) {
    this.source = source;
    this.batchSize = batchSize;
    this.batchWait = batchWait;
  }

  @Override
  public void open(FunctionContext context) {
    QuasidModel model = source.load();
    int dim = model.config().inputDim();
    batcher =
        new MicroBatcher<>(
            "quasid-ml-predict",
            batchSize,
            batchWait,
            rows -> {
              List<float[]> features = new ArrayList<>(rows.size());
              rows.forEach(r -> features.add(CodeRows.features(r, dim)));
              return CodeRows.encode(model, features);
            },
            model::close);
  }

  @Override
  public CompletableFuture<Collection<RowData>> asyncPredict(RowData features) {
    return batcher.submit(features);
  }

  @Override
  public void close() throws InterruptedException {
    if (batcher != null) {
      batcher.close();
    }
  }
}
