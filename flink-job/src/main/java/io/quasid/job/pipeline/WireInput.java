package io.quasid.job.pipeline;

import io.quasid.schemas.AvroCodec;
import io.quasid.schemas.FramedCodec;
import java.io.Serializable;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;

/**
 * How a decoder reads its topic: the codec (single-object, and registry framing when a registry is
 * configured) and how long it waits out a registry that cannot answer before failing over.
 */
public record WireInput<T extends SpecificRecord>(FramedCodec<T> codec, Duration registryMaxWait)
    implements Serializable {

  /** Single-object encoding only: no registry to wait for. */
  public static <T extends SpecificRecord> WireInput<T> singleObject(AvroCodec<T> codec) {
    return new WireInput<>(FramedCodec.singleObject(codec), Duration.ofMinutes(1));
  }
}
