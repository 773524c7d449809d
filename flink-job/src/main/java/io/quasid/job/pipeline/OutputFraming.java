package io.quasid.job.pipeline;

import io.quasid.schemas.FramedCodec;
import io.quasid.schemas.SchemaRegistry.RegistryUnavailableException;
import org.apache.avro.specific.SpecificRecord;

/** Encoding for the job's sinks, whose schemas are registered when they open. */
final class OutputFraming {

  private OutputFraming() {}

  static <T extends SpecificRecord> byte[] encode(FramedCodec<T> codec, T value) {
    try {
      return codec.encode(value);
    } catch (RegistryUnavailableException e) {
      // Unreachable once open() registered the schema; if it happens, fail the sink and replay.
      throw new IllegalStateException("schema registry lost the sink's schema id", e);
    }
  }
}
