package io.quasid.sql;

import java.time.Duration;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;

/**
 * Both modes; the planner takes the async, micro-batched one unless ML_PREDICT says
 * 'async'='false'.
 */
public final class QuasidModelProvider
    implements PredictRuntimeProvider, AsyncPredictRuntimeProvider {

  private final ModelSource source;
  private final int batchSize;
  private final Duration batchWait;

  QuasidModelProvider(ModelSource source, int batchSize, Duration batchWait) {
    this.source = source;
    this.batchSize = batchSize;
    this.batchWait = batchWait;
  }

  @Override
  public PredictFunction createPredictFunction(ModelProvider.Context context) {
    return new QuasidPredictFunction(source);
  }

  @Override
  public AsyncPredictFunction createAsyncPredictFunction(ModelProvider.Context context) {
    return new QuasidAsyncPredictFunction(source, batchSize, batchWait);
  }

  @Override
  public ModelProvider copy() {
    return new QuasidModelProvider(source, batchSize, batchWait);
  }
}
