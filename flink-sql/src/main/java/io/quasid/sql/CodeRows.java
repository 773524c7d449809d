package io.quasid.sql;

import io.quasid.model.QuasidModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;

/**
 * Turns ML_PREDICT's input rows (the DESCRIPTOR column, {@code ARRAY<FLOAT>}) into output rows (the
 * code tuple, {@code ARRAY<INT>}). SQL has no dead-letter topic, so a row whose features are null,
 * of another dimension than the model's, or not finite gets NULL codes rather than failing the
 * query.
 */
final class CodeRows {

  private static final RowData NULL_CODES = GenericRowData.of((Object) null);

  private CodeRows() {}

  /** The row's features, or null when the model cannot encode them. */
  static float[] features(RowData input, int inputDim) {
    if (input.isNullAt(0)) {
      return null;
    }
    ArrayData array = input.getArray(0);
    if (array.size() != inputDim) {
      return null;
    }
    float[] features = new float[inputDim];
    for (int i = 0; i < inputDim; i++) {
      if (array.isNullAt(i) || !Float.isFinite(array.getFloat(i))) {
        return null;
      }
      features[i] = array.getFloat(i);
    }
    return features;
  }

  /** One output row per input, in order; null features give NULL codes. */
  static List<Collection<RowData>> encode(QuasidModel model, List<float[]> features) {
    List<float[]> valid = new ArrayList<>(features.size());
    for (float[] f : features) {
      if (f != null) {
        valid.add(f);
      }
    }
    int[][] codes =
        valid.isEmpty() ? new int[0][] : model.encode(valid.toArray(float[][]::new)).codes();
    List<Collection<RowData>> out = new ArrayList<>(features.size());
    int next = 0;
    for (float[] f : features) {
      out.add(
          List.of(f == null ? NULL_CODES : GenericRowData.of(new GenericArrayData(codes[next++]))));
    }
    return out;
  }
}
