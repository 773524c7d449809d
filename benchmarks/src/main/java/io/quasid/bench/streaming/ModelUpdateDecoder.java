package io.quasid.bench.streaming;

import io.quasid.job.pipeline.RawRecord;
import io.quasid.job.types.ModelUpdate;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Reads a model version the benchmark wrote to its model-updates topic: the key is the version in
 * decimal, the value the inference snapshot, the record timestamp the publication time. Lets the
 * re-encode run hand the job one new version at a moment of its choosing, through {@code
 * defineWorkflow}'s {@code modelUpdates} end.
 */
public class ModelUpdateDecoder implements MapFunction<RawRecord, ModelUpdate> {

  @Override
  public ModelUpdate map(RawRecord raw) {
    long version = Long.parseLong(new String(raw.key, StandardCharsets.UTF_8));
    return new ModelUpdate(version, 0, raw.value, raw.timestamp, 0.0);
  }
}
