package io.quasid.model;

import org.tensorflow.Output;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** A graph variable with the placeholder and assign op that overwrite it from Java. */
record VariableSlot(
    String name,
    long[] shape,
    Output<TFloat32> variable,
    Placeholder<TFloat32> value,
    Assign<TFloat32> assign) {

  int size() {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    return Math.toIntExact(size);
  }
}
