package io.quasid.job.pipeline;

import java.util.stream.Stream;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** Reads the keyed state an operator under test left behind, straight from its state backend. */
final class StateProbe {
  private StateProbe() {}

  /** The state {@code descriptor} of {@code key}; switches the operator's current key. */
  @SuppressWarnings("unchecked")
  static <S extends State> S state(
      AbstractStreamOperatorTestHarness<?> harness, String key, StateDescriptor<S, ?> descriptor)
      throws Exception {
    AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) harness.getOperator();
    op.setCurrentKey(key);
    KeyedStateBackend<Object> backend = op.getKeyedStateBackend();
    return backend.getPartitionedState(
        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
  }

  /** How many keys hold a value in {@code descriptor}. */
  static long keys(AbstractStreamOperatorTestHarness<?> harness, StateDescriptor<?, ?> descriptor) {
    AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) harness.getOperator();
    KeyedStateBackend<Object> backend = op.getKeyedStateBackend();
    try (Stream<Object> keys = backend.getKeys(descriptor.getName(), VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }
}
