package io.quasid.bench.streaming;

import io.quasid.job.KafkaConnectors;
import io.quasid.job.QuasidStreamJob;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.pipeline.InteractionDecoder;
import io.quasid.job.pipeline.ItemFeatureDecoder;
import io.quasid.job.pipeline.SidUpdate;
import io.quasid.job.types.ItemFeature;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The pass-through baseline's only step after the shuffle: an SID-sized output record (no codes,
 * suffix 0) stamped with the item's event time, written by the job's own SID serializer, so the
 * baseline pays for decoding, one keyed shuffle and the exactly-once sink and nothing else.
 */
public class PassThroughSid implements MapFunction<ItemFeature, SidUpdate> {

  private static final int[] NO_CODES = new int[0];

  /**
   * The pass-through job on {@code env}: the job's item source and {@code decoder}, a keyed
   * shuffle, this record and the job's exactly-once SID sink, with fixed uids.
   */
  static void define(
      StreamExecutionEnvironment env, QuasidJobOptions options, ItemFeatureDecoder decoder) {
    define(env, options, decoder, null);
  }

  /**
   * As {@link #define(StreamExecutionEnvironment, QuasidJobOptions, ItemFeatureDecoder)}, and with
   * {@code interactions}, the interactions baseline beside it: the job's interaction source and
   * decoder and the keyed shuffle by item id that the known-item gate sits behind, into a sink that
   * drops them (the job writes nothing per interaction without training either).
   */
  static void define(
      StreamExecutionEnvironment env,
      QuasidJobOptions options,
      ItemFeatureDecoder decoder,
      InteractionDecoder interactions) {
    if (interactions != null) {
      QuasidStreamJob.kafkaStream(
              env,
              KafkaConnectors.interactionSource(options),
              "Kafka interactions",
              "pass-interactions-source")
          .process(interactions)
          .uid("pass-interaction-decoder")
          .name("Decode interactions")
          .keyBy(i -> i.interaction.itemId, Types.STRING)
          .sinkTo(new DiscardingSink<>())
          .uid("pass-interactions-sink")
          .name("Pass-through interactions");
    }
    QuasidStreamJob.kafkaStream(
            env, KafkaConnectors.itemSource(options), "Kafka items", "pass-items-source")
        .process(decoder)
        .uid("pass-item-decoder")
        .name("Decode item features")
        .keyBy(f -> f.itemId, Types.STRING)
        .map(new PassThroughSid(), TypeInformation.of(SidUpdate.class))
        .uid("pass-sid")
        .name("Pass-through record")
        .sinkTo(KafkaConnectors.sidSink(options))
        .uid("pass-sid-sink")
        .name("Pass-through sink");
  }

  @Override
  public SidUpdate map(ItemFeature item) {
    SidUpdate u = new SidUpdate();
    u.itemId = item.itemId;
    u.tombstone = false;
    u.codes = NO_CODES;
    u.suffix = 0;
    u.sid = "pass/0";
    u.modelVersion = 0;
    u.revision = 1;
    u.causeEventTime = item.eventTime;
    u.assignedTime = System.currentTimeMillis();
    return u;
  }
}
