package io.quasid.job;

import io.quasid.job.config.FeatureSource;
import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.ModelOptions;
import io.quasid.job.config.QuasidJobCommandLine;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.config.StartOffsets;
import io.quasid.job.config.TextOptions;
import io.quasid.job.embedded.EmbeddedKafka;
import io.quasid.job.sample.CatalogPublisher;
import io.quasid.job.training.FineTuneOptions;
import io.quasid.model.QuasidModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;

/**
 * The one-command demo: an embedded KRaft broker, the bundled Beauty catalogue published to it, and
 * the job on a local Flink environment (RocksDB, checkpoints every few seconds) until every item
 * has a committed SID; then a summary. Accepts the job's flags (see {@code --help}); the broker,
 * topics and initial model are the demo's own.
 */
public final class EmbeddedDemo {

  private static final Duration MAX_RUN = Duration.ofMinutes(15);
  private static final long TRAINED_VERSIONS = 2;
  private static final Duration TRAINING_WINDOW = Duration.ofMinutes(3);

  private EmbeddedDemo() {}

  public static void main(String[] args) throws Exception {
    Optional<QuasidJobOptions> parsed =
        QuasidJobCommandLine.parse(withDemoDefaults(args), new PrintWriter(System.out));
    if (parsed.isEmpty()) {
      return;
    }
    Path workDir = Files.createTempDirectory("quasid-demo-");
    boolean textMode = parsed.get().get(TextOptions.FEATURE_SOURCE) != FeatureSource.VECTOR;
    DemoCatalogue catalogue = textMode ? DemoCatalogue.scientificText() : DemoCatalogue.beauty();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      System.out.println("Kafka (KRaft) broker up at " + kafka.bootstrapServers());
      QuasidJobOptions options =
          parsed
              .get()
              .with(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
              .with(KafkaOptions.START_OFFSETS, StartOffsets.EARLIEST)
              .with(
                  RuntimeOptions.CHECKPOINT_DIR, workDir.resolve("checkpoints").toUri().toString());
      options = withInitialModel(options, catalogue, workDir);
      kafka.createJobTopics(options, options.get(RuntimeOptions.PARALLELISM));

      int uiPort = freePort();
      Configuration local = new Configuration();
      local.set(RestOptions.PORT, uiPort);
      JobClient job = QuasidStreamJob.submit(options, "QuaSID Stream (embedded demo)", local);
      System.out.printf("Flink web UI: http://localhost:%d (while the demo runs)%n", uiPort);
      long started = System.currentTimeMillis();
      try (CatalogPublisher publisher = new CatalogPublisher(kafka.bootstrapServers())) {
        long items =
            catalogue.publishItems(publisher, options.get(KafkaOptions.ITEMS_TOPIC), Instant.now());
        long interactions =
            publisher.publishInteractions(
                catalogue.sequences(), options.get(KafkaOptions.INTERACTIONS_TOPIC), Instant.now());
        System.out.printf("Published %,d items and %,d interactions%n", items, interactions);
      }
      DemoProgress progress =
          new DemoProgress(
              kafka.bootstrapServers(), options.get(KafkaOptions.SID_TOPIC), catalogue.size());
      try {
        // With training on, give the trainer a few minutes to get a version past its quality gate
        // (v1 is the initial model, offered as is).
        progress.awaitAllAssigned(
            job, MAX_RUN, options.trainingEnabled() ? TRAINED_VERSIONS : 0, TRAINING_WINDOW);
      } finally {
        job.cancel().get();
      }
      progress.reloadToEnd();
      System.out.println();
      System.out.println(progress.summary(started));
      System.out.println(
          progress.examples(
              options.get(KafkaOptions.SID_TOPIC), options.get(KafkaOptions.MIGRATIONS_TOPIC), 3));
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Two parallel subtasks, a short checkpoint interval and frequent version attempts suit a laptop
   * demo; the user's flags come after and win.
   */
  private static String[] withDemoDefaults(String[] args) {
    String[] defaults = {
      "--parallelism=2", "--checkpoint.interval=3 s", "--training.publish-every-steps=50"
    };
    String[] all = new String[defaults.length + args.length];
    System.arraycopy(defaults, 0, all, 0, defaults.length);
    System.arraycopy(args, 0, all, defaults.length, args.length);
    return all;
  }

  /**
   * Unless the user gave a model, starts from the seeded model with codebooks initialised by
   * k-means on the catalogue's vectors (a seeded model's random codebooks put most items in few
   * buckets).
   */
  private static QuasidJobOptions withInitialModel(
      QuasidJobOptions options, DemoCatalogue catalogue, Path workDir) throws Exception {
    if (options.modelSnapshot().isPresent() || options.savedModel().isPresent()) {
      return options;
    }
    System.out.println("Initialising the seeded tokenizer's codebooks on the catalogue ...");
    float[][] vectors = catalogue.vectors();
    Path snapshot = workDir.resolve("initial-model.snapshot");
    try (QuasidModel model = QuasidModel.create(options.modelConfig())) {
      model.initCodebooks(vectors);
      Files.write(snapshot, model.snapshot().bytes());
    }
    QuasidJobOptions withModel = options.with(ModelOptions.MODEL_SNAPSHOT, snapshot.toString());
    // The trainer must fine-tune the model the assigner starts with, not a fresh seeded one.
    return options.configuration().containsKey(FineTuneOptions.WARM_START.key())
        ? withModel
        : withModel.with(FineTuneOptions.WARM_START, snapshot.toString());
  }
}
