package io.quasid.job.training;

import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** Leftover-state inspection for RocksDB harnesses (their numKeyedStateEntries is unsupported). */
final class KeyedStateKeys {
  private KeyedStateKeys() {}

  static List<String> of(AbstractStreamOperatorTestHarness<?> harness, String stateName) {
    KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
    try (Stream<String> keys = backend.getKeys(stateName, VoidNamespace.INSTANCE)) {
      return keys.sorted().toList();
    }
  }
}
