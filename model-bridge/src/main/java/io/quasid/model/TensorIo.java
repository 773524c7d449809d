package io.quasid.model;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Copies between Java arrays and tensors; callers own (and close) the tensors returned. */
final class TensorIo {

  private TensorIo() {}

  static TFloat32 matrix(float[][] rows, int cols) {
    float[] flat = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) {
        throw new IllegalArgumentException(
            "row " + i + " has " + rows[i].length + " values, expected " + cols);
      }
      System.arraycopy(rows[i], 0, flat, i * cols, cols);
    }
    return TFloat32.tensorOf(Shape.of(rows.length, cols), DataBuffers.of(flat, true, false));
  }

  static TFloat32 tensor(long[] shape, float[] flat) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(flat, true, false));
  }

  static TFloat32 vector(float[] values) {
    return TFloat32.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
  }

  static TInt32 vector(int[] values) {
    return TInt32.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
  }

  static float[] flat(TFloat32 t) {
    float[] out = new float[Math.toIntExact(t.shape().size())];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  static float scalar(TFloat32 t) {
    return t.getFloat();
  }

  static float[][] rows(TFloat32 t) {
    int n = Math.toIntExact(t.shape().get(0));
    int cols = Math.toIntExact(t.shape().get(1));
    float[] flat = flat(t);
    float[][] out = new float[n][cols];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * cols, out[i], 0, cols);
    }
    return out;
  }

  static int[][] rows(TInt32 t) {
    int n = Math.toIntExact(t.shape().get(0));
    int cols = Math.toIntExact(t.shape().get(1));
    int[] flat = new int[n * cols];
    t.copyTo(DataBuffers.of(flat, false, false));
    int[][] out = new int[n][cols];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * cols, out[i], 0, cols);
    }
    return out;
  }
}
