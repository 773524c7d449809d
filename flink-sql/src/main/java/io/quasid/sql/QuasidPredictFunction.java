package io.quasid.sql;

import io.quasid.model.QuasidModel;
import java.util.Collection;
import java.util.Collections;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;

/** ML_PREDICT with {@code 'async' = 'false'}: one TensorFlow call per row. */
public final class QuasidPredictFunction extends PredictFunction {

  private static final long serialVersionUID = 1L;

  private final ModelSource source;
  private transient QuasidModel model;

  QuasidPredictFunction(ModelSource source) {
    this.source = source;
  }

  @Override
  public void open(FunctionContext context) {
    model = source.load();
  }

  @Override
  public Collection<RowData> predict(RowData features) {
    float[] f = CodeRows.features(features, model.config().inputDim());
    return CodeRows.encode(model, Collections.singletonList(f)).get(0);
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}
