package io.quasid.job;

import io.quasid.job.config.AssignmentOptions;
import io.quasid.job.config.FeatureSource;
import io.quasid.job.config.InputOptions;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.QuasidJobCommandLine;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RegistryOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.config.TextOptions;
import io.quasid.job.pipeline.AssignmentPublisher;
import io.quasid.job.pipeline.BucketAssignment;
import io.quasid.job.pipeline.BucketChange;
import io.quasid.job.pipeline.DeadLetters;
import io.quasid.job.pipeline.EveryPartitionWatermarkedSource;
import io.quasid.job.pipeline.InteractionDecoder;
import io.quasid.job.pipeline.ItemFeatureDecoder;
import io.quasid.job.pipeline.KafkaPartitionEnds;
import io.quasid.job.pipeline.KnownItemGate;
import io.quasid.job.pipeline.MigrationSummarizer;
import io.quasid.job.pipeline.MigrationTotals;
import io.quasid.job.pipeline.NoModelUpdates;
import io.quasid.job.pipeline.QuasidTokenizerFactory;
import io.quasid.job.pipeline.RawRecord;
import io.quasid.job.pipeline.RejectedRecord;
import io.quasid.job.pipeline.RepublishRequests;
import io.quasid.job.pipeline.SidAssigner;
import io.quasid.job.pipeline.SidBucketAllocator;
import io.quasid.job.pipeline.SidTokenizerFactory;
import io.quasid.job.pipeline.SidUpdate;
import io.quasid.job.pipeline.SourcedInteraction;
import io.quasid.job.pipeline.TopicProgress;
import io.quasid.job.training.TrainingOptions;
import io.quasid.job.training.TrainingPipeline;
import io.quasid.job.types.Engagement;
import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.ModelUpdate;
import io.quasid.schemas.AvroWire;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The QuaSID Stream job. {@link #defineWorkflow} builds the whole topology from injectable ends
 * (tests feed it directly, {@link #main} wires Kafka):
 *
 * <pre>
 * items --decode--+--keyBy(item)--> SidAssigner <--broadcast-- model updates (trainer or given)
 *                 |                    | BucketChange   \--re-encoding reports--> MigrationSummarizer
 *                 |                    |                    (parallelism 1) --> sid-migrations (EOS)
 *                 |             keyBy(code tuple) --> SidBucketAllocator
 *                 |                    | BucketAssignment
 *                 |             keyBy(item) --> AssignmentPublisher --> sid-assignments (EOS)
 * interactions --decode--keyBy(item)--> KnownItemGate --(with features)--> training branch
 * every rejected record ---------------------------------------------> dead letters (EOS)
 * </pre>
 */
public final class QuasidStreamJob {

  private QuasidStreamJob() {}

  public static void main(String[] args) throws Exception {
    Optional<QuasidJobOptions> parsed;
    try {
      parsed = QuasidJobCommandLine.parse(args, new PrintWriter(System.out));
    } catch (IllegalArgumentException e) {
      System.err.println("quasid-stream-job: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (parsed.isEmpty()) {
      return;
    }
    QuasidJobOptions options = parsed.get();
    StreamExecutionEnvironment env = environment(options);
    defineKafkaWorkflow(env, options);
    env.execute("QuaSID Stream");
  }

  /**
   * Submits the Kafka topology without waiting for it: the embedded demo and the broker ITCases
   * watch the topics while the job runs.
   */
  public static JobClient submit(QuasidJobOptions options, String jobName) throws Exception {
    return submit(options, jobName, new Configuration());
  }

  /**
   * {@link #submit(QuasidJobOptions, String)} with {@code local} as the base configuration of a
   * local run (the demo's web UI port); a cluster's own configuration takes its place there.
   */
  public static JobClient submit(QuasidJobOptions options, String jobName, Configuration local)
      throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(withTextSlots(options, local));
    env.configure(FlinkSettings.of(options, env.getConfiguration()));
    defineKafkaWorkflow(env, options);
    return env.executeAsync(jobName);
  }

  /**
   * A local run has as many slots as the job's parallelism, and the embedding stage's slot-sharing
   * group needs slots of its own: without them a text-mode job would wait for resources forever. A
   * cluster's own slot count is left alone (a cluster ignores {@code local}).
   */
  static Configuration withTextSlots(QuasidJobOptions options, Configuration local) {
    if (options.get(TextOptions.FEATURE_SOURCE) == FeatureSource.VECTOR
        || local.contains(TaskManagerOptions.NUM_TASK_SLOTS)) {
      return local;
    }
    int parallelism = options.get(RuntimeOptions.PARALLELISM);
    Configuration withSlots = new Configuration(local);
    withSlots.set(
        TaskManagerOptions.NUM_TASK_SLOTS,
        parallelism + options.passed(TextOptions.PARALLELISM).orElse(parallelism));
    return withSlots;
  }

  /** The topology with Kafka at both ends: what main, the demo and the broker ITCases run. */
  public static void defineKafkaWorkflow(StreamExecutionEnvironment env, QuasidJobOptions options) {
    defineKafkaWorkflow(env, options, kafkaItems(env, options), null);
  }

  /**
   * As {@link #defineKafkaWorkflow(StreamExecutionEnvironment, QuasidJobOptions)}, with the item
   * records and model updates given: tests put a failure hook behind {@link #kafkaItems}, the
   * streaming benchmark feeds model versions from a topic.
   *
   * @param modelUpdates as in {@link #defineWorkflow}; null for the trainer or none
   */
  public static void defineKafkaWorkflow(
      StreamExecutionEnvironment env,
      QuasidJobOptions options,
      DataStream<RawRecord> itemRecords,
      DataStream<ModelUpdate> modelUpdates) {
    defineKafkaWorkflow(env, options, itemRecords, modelUpdates, SinkDecorator.NONE);
  }

  /**
   * What the job does to each of its three Kafka sinks before it writes to them: nothing in
   * production; the fault suite wraps them to choose when a TaskManager dies (between a
   * checkpoint's completion and its commit).
   */
  public interface SinkDecorator extends java.io.Serializable {
    SinkDecorator NONE =
        new SinkDecorator() {
          @Override
          public <T> Sink<T> decorate(KafkaSink<T> sink) {
            return sink;
          }
        };

    <T> Sink<T> decorate(KafkaSink<T> sink);
  }

  /**
   * As {@link #defineKafkaWorkflow(StreamExecutionEnvironment, QuasidJobOptions, DataStream,
   * DataStream)}, with each Kafka sink passed through {@code sinks}.
   */
  public static void defineKafkaWorkflow(
      StreamExecutionEnvironment env,
      QuasidJobOptions options,
      DataStream<RawRecord> itemRecords,
      DataStream<ModelUpdate> modelUpdates,
      SinkDecorator sinks) {
    CommittedStartGuard.check(options, env.getConfiguration());
    defineWorkflow(
        env,
        options,
        itemRecords,
        kafkaStream(
            env,
            new EveryPartitionWatermarkedSource<>(KafkaConnectors.interactionSource(options)),
            topicProgress(options),
            "Kafka interactions",
            "quasid-interactions-source"),
        modelUpdates,
        new QuasidTokenizerFactory(options),
        sinks.decorate(KafkaConnectors.sidSink(options)),
        sinks.decorate(KafkaConnectors.deadLetterSink(options)),
        sinks.decorate(KafkaConnectors.migrationSink(options)));
  }

  /** The Kafka item source as a stream, with the uid every savepoint of the job knows. */
  public static DataStream<RawRecord> kafkaItems(
      StreamExecutionEnvironment env, QuasidJobOptions options) {
    return kafkaStream(
        env,
        new EveryPartitionWatermarkedSource<>(KafkaConnectors.itemSource(options)),
        topicProgress(options),
        "Kafka items",
        "quasid-items-source");
  }

  /** Both input topics carry their progress, which the known-item gate waits on. */
  private static TopicProgress topicProgress(QuasidJobOptions options) {
    Properties kafka = options.kafkaClientProperties();
    kafka.setProperty(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.get(KafkaOptions.BOOTSTRAP_SERVERS));
    kafka.setProperty(ConsumerConfig.GROUP_ID_CONFIG, options.get(KafkaOptions.GROUP_ID));
    return new TopicProgress(
        options.get(InputOptions.UNKNOWN_ITEM_GRACE).toMillis(), new KafkaPartitionEnds(kafka));
  }

  /**
   * The environment the cluster (or the local run) provides, with the job's settings on top: see
   * {@link FlinkSettings#of}.
   */
  public static StreamExecutionEnvironment environment(QuasidJobOptions options) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(FlinkSettings.of(options, env.getConfiguration()));
    return env;
  }

  /** A Kafka source as a stream with a stable uid and no watermarks. */
  public static DataStream<RawRecord> kafkaStream(
      StreamExecutionEnvironment env,
      org.apache.flink.api.connector.source.Source<RawRecord, ?, ?> source,
      String name,
      String uid) {
    return kafkaStream(env, source, WatermarkStrategy.noWatermarks(), name, uid);
  }

  /** A Kafka source as a stream with a stable uid and the given watermarks. */
  public static DataStream<RawRecord> kafkaStream(
      StreamExecutionEnvironment env,
      org.apache.flink.api.connector.source.Source<RawRecord, ?, ?> source,
      WatermarkStrategy<RawRecord> watermarks,
      String name,
      String uid) {
    return env.fromSource(source, watermarks, name).uid(uid);
  }

  /**
   * Builds the topology.
   *
   * @param itemRecords item records, with {@link TopicProgress} watermarks as {@link #kafkaItems}
   *     gives them: without watermarks the known-item gate dead-letters an interaction for an
   *     unknown item only after {@code interactions.unknown-item-max-wait}
   * @param interactionRecords interaction records, with watermarks likewise
   * @param modelUpdates published versions to broadcast to the assigner; null to use the trainer
   *     when {@code training.enabled}, else the initial tokenizer only
   * @param tokenizers the tokenizers of the assigner; {@link QuasidTokenizerFactory} in production
   * @param migrationSink one {@link MigrationTotals} per model version that went live
   */
  public static void defineWorkflow(
      StreamExecutionEnvironment env,
      QuasidJobOptions options,
      DataStream<RawRecord> itemRecords,
      DataStream<RawRecord> interactionRecords,
      DataStream<ModelUpdate> modelUpdates,
      SidTokenizerFactory tokenizers,
      Sink<SidUpdate> sidSink,
      Sink<RejectedRecord> deadLetterSink,
      Sink<MigrationTotals> migrationSink) {
    options.validate();
    int dim = options.get(InputOptions.VECTOR_DIM);
    tokenizers.requireInputDim(dim);
    if (!options.featureSpace().isEmpty()) {
      tokenizers.requireFeatureSpace(options.featureSpace());
    }
    int maxBytes = options.get(InputOptions.MAX_RECORD_BYTES);
    long maxSkew = options.get(InputOptions.MAX_FUTURE_SKEW).toMillis();
    Duration unknownDeleteRetention = options.get(InputOptions.UNKNOWN_DELETE_RETENTION);

    SingleOutputStreamOperator<ItemFeature> decodedItems =
        itemRecords
            .process(
                new ItemFeatureDecoder(
                    RegistryOptions.input(options, AvroWire.ITEM_FEATURES),
                    options.get(TextOptions.FEATURE_SOURCE),
                    options.get(TextOptions.MAX_CHARS),
                    dim,
                    maxBytes,
                    maxSkew))
            .uid("quasid-item-decoder")
            .name("Decode item features");
    TextEmbeddingStage.Output itemPath = TextEmbeddingStage.attach(decodedItems, options);
    DataStream<ItemFeature> items = itemPath.items();

    SingleOutputStreamOperator<SourcedInteraction> decodedInteractions =
        interactionRecords
            .process(
                new InteractionDecoder(
                    RegistryOptions.input(options, AvroWire.INTERACTIONS), maxBytes, maxSkew))
            .uid("quasid-interaction-decoder")
            .name("Decode interactions");
    TrainingOptions training =
        modelUpdates == null && options.trainingEnabled()
            ? options.training(options.modelConfig())
            : null;
    // Without training the gate needs only ids: the vectors would cost a serialisation per item.
    DataStream<ItemFeature> gateItems =
        training != null
            ? items
            : items
                .map(ItemFeature::withoutFeatures, TypeInformation.of(ItemFeature.class))
                .uid("quasid-gate-item-ids")
                .name("Item ids");
    SingleOutputStreamOperator<Engagement> engagements =
        gateItems
            .keyBy(f -> f.itemId, Types.STRING)
            .connect(decodedInteractions.keyBy(i -> i.interaction.itemId, Types.STRING))
            .process(
                new KnownItemGate(
                        options.get(InputOptions.UNKNOWN_ITEM_GRACE).toMillis(),
                        options.get(InputOptions.UNKNOWN_ITEM_MAX_WAIT).toMillis(),
                        training == null ? null : training.engagementAdmission())
                    .retainingUnknownDeletesFor(unknownDeleteRetention))
            .uid("quasid-known-item-gate-v2")
            .name("Known-item gate");

    DataStream<RejectedRecord> deadLetters =
        itemPath
            .deadLetters()
            .union(
                decodedInteractions.getSideOutput(DeadLetters.TAG),
                engagements.getSideOutput(DeadLetters.TAG));

    DataStream<ModelUpdate> updates = modelUpdates;
    if (training != null) {
      updates = TrainingPipeline.attach(items, engagements, training);
    }
    if (updates == null) {
      updates =
          items
              .flatMap(new NoModelUpdates(), TypeInformation.of(ModelUpdate.class))
              .uid("quasid-no-model-updates")
              .name("No model updates");
    }

    SingleOutputStreamOperator<BucketChange> changes =
        items
            .keyBy(f -> f.itemId, Types.STRING)
            .connect(updates.broadcast())
            .transform(
                "SID assigner",
                TypeInformation.of(BucketChange.class),
                new SidAssigner(
                        tokenizers,
                        options.churnPolicy(),
                        options.get(AssignmentOptions.ASSIGNER_BATCH_SIZE),
                        options.get(AssignmentOptions.ASSIGNER_FLUSH_INTERVAL).toMillis(),
                        options.get(AssignmentOptions.ASSIGNER_REENCODE_SLICE),
                        options.get(AssignmentOptions.ASSIGNER_REENCODE_SHARE),
                        dim)
                    .retainingUnknownDeletesFor(unknownDeleteRetention))
            // "-v2" since one state value per item (assigner, allocator and publisher alike): a
            // savepoint of the old layout is refused at restore instead of restored into empty
            // state next to half-kept bucket members.
            .uid("quasid-sid-assigner-v2")
            .name("SID assigner");

    // One summarizer sees every subtask's report: a version is complete when all key groups are.
    changes
        .getSideOutput(SidAssigner.MIGRATIONS)
        .process(new MigrationSummarizer(), TypeInformation.of(MigrationTotals.class))
        .uid("quasid-migration-summarizer")
        .name("Migration summarizer")
        .setParallelism(1)
        .setMaxParallelism(1)
        .sinkTo(migrationSink)
        .uid("quasid-migration-sink")
        .name("Migrations sink")
        .setParallelism(1);

    DataStream<BucketAssignment> assignments =
        changes
            .keyBy(BucketChange::bucketKey, Types.STRING)
            .process(new SidBucketAllocator())
            .uid("quasid-bucket-allocator-v2")
            .name("SID bucket allocator");

    DataStream<String> republishRequests =
        env.fromSource(
                RepublishRequests.source(options.get(AssignmentOptions.REPUBLISH_TOKEN)),
                WatermarkStrategy.noWatermarks(),
                "Republish requests")
            .uid("quasid-republish-requests")
            .setParallelism(1);
    assignments
        .keyBy(a -> a.itemId, Types.STRING)
        .connect(republishRequests.broadcast(AssignmentPublisher.REPUBLISHED))
        .process(new AssignmentPublisher())
        .uid("quasid-assignment-publisher-v2")
        .name("Assignment publisher")
        .sinkTo(sidSink)
        .uid("quasid-sid-sink")
        .name("SID assignments sink");

    deadLetters.sinkTo(deadLetterSink).uid("quasid-dead-letter-sink").name("Dead-letter sink");
  }
}
