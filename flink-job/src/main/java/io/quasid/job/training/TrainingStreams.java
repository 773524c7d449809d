package io.quasid.job.training;

import io.quasid.job.types.ModelUpdate;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * What {@link TrainingPipeline#attach} produces: published model versions (to broadcast to the SID
 * assigner) and pairs dropped for want of item features (to the dead-letter sink).
 */
public record TrainingStreams(
    DataStream<ModelUpdate> modelUpdates, DataStream<RejectedPair> rejectedPairs) {}
