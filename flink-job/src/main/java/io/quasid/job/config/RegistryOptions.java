package io.quasid.job.config;

import io.quasid.job.pipeline.WireInput;
import io.quasid.schemas.AvroCodec;
import io.quasid.schemas.FramedCodec;
import io.quasid.schemas.SchemaRegistry;
import java.time.Duration;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The schema registry: where input records in registry framing find their writer schemas, and, with
 * {@link #SINK_FRAMING} {@code registry}, where the job registers the schemas of what it writes
 * (subject {@code <topic>-value}, Confluent's TopicNameStrategy).
 */
public final class RegistryOptions {

  public static final ConfigOption<String> URL =
      ConfigOptions.key("registry.url")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Base URL of a schema registry speaking Confluent's REST API (Confluent: http://host:8081;"
                  + " Apicurio: http://host:8080/apis/ccompat/v7). When set, input values in"
                  + " registry framing (00 + schema id) are read with the writer schema fetched"
                  + " by id; without it they are dead-lettered as UNDECODABLE. Single-object"
                  + " values (C3 01) are read either way.");
  public static final ConfigOption<Duration> REQUEST_TIMEOUT =
      ConfigOptions.key("registry.request-timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "Connect and request timeout of each registry call. A registry that cannot answer"
                  + " holds the record and retries (backpressure), never dead-letters it.");
  public static final ConfigOption<Duration> MAX_WAIT =
      ConfigOptions.key("registry.max-wait")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription(
              "How long a decoder holds a record while the registry cannot answer (it blocks the"
                  + " task, and checkpoints with it) before it fails the task, naming the"
                  + " registry; the job restarts from its last checkpoint and loses nothing. Must"
                  + " be below checkpoint.timeout.");
  public static final ConfigOption<ValueFraming> SINK_FRAMING =
      ConfigOptions.key("sink.value-framing")
          .enumType(ValueFraming.class)
          .defaultValue(ValueFraming.SINGLE_OBJECT)
          .withDescription(
              "Framing of the SID, dead-letter and migration values: single_object, or registry"
                  + " (needs registry.url; the schemas are registered under <topic>-value when"
                  + " the sinks start).");

  private RegistryOptions() {}

  static void validate(QuasidJobOptions options) {
    Optional<String> url = options.passed(URL);
    url.ifPresent(
        u -> {
          try {
            new SchemaRegistry(u, options.get(REQUEST_TIMEOUT));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(URL.key() + ": " + e.getMessage(), e);
          }
        });
    if (options.get(SINK_FRAMING) == ValueFraming.REGISTRY && url.isEmpty()) {
      throw new IllegalArgumentException(
          SINK_FRAMING.key() + " = registry needs " + URL.key() + " to register the schemas");
    }
    if (options.get(MAX_WAIT).compareTo(options.get(RuntimeOptions.CHECKPOINT_TIMEOUT)) >= 0) {
      throw new IllegalArgumentException(
          MAX_WAIT.key()
              + " must be below "
              + RuntimeOptions.CHECKPOINT_TIMEOUT.key()
              + ": a decoder waiting for the registry holds back every checkpoint");
    }
    Duration timeout = options.get(REQUEST_TIMEOUT);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(REQUEST_TIMEOUT.key() + " must be > 0");
    }
  }

  /** How an input topic of {@code codec}'s type is read: single-object, and registry framing. */
  public static <T extends SpecificRecord> WireInput<T> input(
      QuasidJobOptions options, AvroCodec<T> codec) {
    return new WireInput<>(reading(options, codec), options.get(MAX_WAIT));
  }

  private static <T extends SpecificRecord> FramedCodec<T> reading(
      QuasidJobOptions options, AvroCodec<T> codec) {
    FramedCodec<T> single = FramedCodec.singleObject(codec);
    return registry(options).map(single::readingRegistry).orElse(single);
  }

  /** How the job writes {@code topic}, of {@code codec}'s type. */
  public static <T extends SpecificRecord> FramedCodec<T> output(
      QuasidJobOptions options, AvroCodec<T> codec, String topic) {
    FramedCodec<T> reading = reading(options, codec);
    return options.get(SINK_FRAMING) == ValueFraming.REGISTRY
        ? reading.writingRegistryFraming(topic + "-value")
        : reading;
  }

  private static Optional<SchemaRegistry> registry(QuasidJobOptions options) {
    return options.passed(URL).map(u -> new SchemaRegistry(u, options.get(REQUEST_TIMEOUT)));
  }
}
