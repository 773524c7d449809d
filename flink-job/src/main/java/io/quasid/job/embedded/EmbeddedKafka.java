package io.quasid.job.embedded;

import io.quasid.job.config.KafkaOptions;
import io.quasid.job.config.QuasidJobOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * A single-node Kafka (KRaft, combined broker + controller) in a child JVM, for the tests and the
 * demo. A child process keeps the broker's Scala and server dependencies away from Flink's
 * classloaders and lets the broker be killed cleanly.
 *
 * <p>It listens on free localhost ports, keeps its logs in a temporary directory that {@link
 * #close()} deletes, and is configured so transactions (Flink's exactly-once sink) work with one
 * node. The child dies on {@link #close()}, on JVM shutdown, and also when this JVM dies without
 * shutdown hooks (it watches its stdin).
 *
 * <p>{@link #startWithScram} adds a second client listener that only admits SASL/SCRAM-SHA-256
 * clients ({@link #saslBootstrapServers()}), for tests of a secured broker. The PLAINTEXT listener
 * stays: the controller, the inter-broker link and this class's own admin client use it, so the
 * user's credential can be created over it once the broker is up (in KRaft SCRAM credentials live
 * in the metadata log, written by an admin request, not in a file the broker reads at start).
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  /** The only SASL mechanism the broker's SASL listener admits. */
  static final String SCRAM = "SCRAM-SHA-256";

  private final Path workDir;
  private volatile Process broker;
  private final String bootstrapServers;
  private final String saslBootstrapServers;
  private final Thread shutdownHook;
  private final Admin admin;

  private EmbeddedKafka(
      Path workDir, Process broker, String bootstrapServers, String saslBootstrapServers) {
    this.workDir = workDir;
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
    this.saslBootstrapServers = saslBootstrapServers;
    this.shutdownHook = new Thread(this::stopBroker, "embedded-kafka-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** Starts a broker and returns once it answers admin requests. */
  public static EmbeddedKafka start() {
    return start(null, null);
  }

  /**
   * Starts a broker that also has a SASL_PLAINTEXT listener on loopback admitting only
   * SCRAM-SHA-256 clients, and creates {@code username} with {@code password} there; returns once a
   * client with these credentials ({@link #scramClientProperties}) is let in on {@link
   * #saslBootstrapServers()}.
   *
   * @throws IllegalArgumentException if a credential holds a character the JAAS value cannot quote
   */
  public static EmbeddedKafka startWithScram(String username, String password) {
    scramJaasConfig(username, password); // fail fast, before a broker is started
    return start(username, password);
  }

  private static EmbeddedKafka start(String scramUser, String scramPassword) {
    Path workDir;
    try {
      workDir = Files.createTempDirectory("quasid-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's temp directory", e);
    }
    EmbeddedKafka kafka = null;
    try {
      int brokerPort = BrokerLauncher.freePort();
      int controllerPort = BrokerLauncher.freePort();
      int saslPort = scramUser == null ? -1 : BrokerLauncher.freePort();
      Process process = BrokerLauncher.launch(workDir, brokerPort, controllerPort, saslPort);
      kafka =
          new EmbeddedKafka(
              workDir,
              process,
              "localhost:" + brokerPort,
              saslPort < 0 ? null : "localhost:" + saslPort);
      kafka.awaitReady();
      if (scramUser != null) {
        kafka.createScramUser(scramUser, scramPassword);
      }
      return kafka;
    } catch (IOException | RuntimeException e) {
      if (kafka != null) {
        kafka.close();
      } else {
        deleteRecursively(workDir);
      }
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** The {@code bootstrap.servers} value for clients of the PLAINTEXT listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The {@code bootstrap.servers} value of the SASL/SCRAM listener.
   *
   * @throws IllegalStateException if the broker was not started by {@link #startWithScram}
   */
  public String saslBootstrapServers() {
    if (saslBootstrapServers == null) {
      throw new IllegalStateException("this broker has no SASL listener (see startWithScram)");
    }
    return saslBootstrapServers;
  }

  /**
   * The client settings for SCRAM-SHA-256 over SASL_PLAINTEXT as {@code username}: {@code
   * security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} (bootstrap servers not
   * included).
   */
  public static Map<String, String> scramClientProperties(String username, String password) {
    return Map.of(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        SecurityProtocol.SASL_PLAINTEXT.name,
        SaslConfigs.SASL_MECHANISM,
        SCRAM,
        SaslConfigs.SASL_JAAS_CONFIG,
        scramJaasConfig(username, password));
  }

  private static String scramJaasConfig(String username, String password) {
    for (String value : List.of(username, password)) {
      // JAAS options are double-quoted; a quote or backslash would end or escape the value.
      if (value.isEmpty() || value.contains("\"") || value.contains("\\")) {
        throw new IllegalArgumentException(
            "SCRAM user names and passwords must be non-empty, without '\"' or '\\'");
      }
    }
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + username
        + "\" password=\""
        + password
        + "\";";
  }

  /**
   * Creates a topic with replication factor 1 and waits for the controller to accept it.
   *
   * @param compacted log compaction instead of time-based deletion (latest value per key)
   */
  public void createTopic(String name, int partitions, boolean compacted) {
    NewTopic topic = new NewTopic(name, partitions, (short) 1);
    if (compacted) {
      topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
    try {
      admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + name, e);
    }
  }

  /**
   * The job's five topics as {@code options} names them: inputs and the compacted SID topic with
   * {@code partitions} partitions, dead letters and the compacted migrations topic with one.
   */
  public void createJobTopics(QuasidJobOptions options, int partitions) {
    createTopic(options.get(KafkaOptions.ITEMS_TOPIC), partitions, false);
    createTopic(options.get(KafkaOptions.INTERACTIONS_TOPIC), partitions, false);
    createTopic(options.get(KafkaOptions.SID_TOPIC), partitions, true);
    createTopic(options.get(KafkaOptions.DEAD_LETTER_TOPIC), 1, false);
    createTopic(options.get(KafkaOptions.MIGRATIONS_TOPIC), 1, true);
  }

  /**
   * Stops the broker gracefully (SIGTERM, controlled shutdown), waits {@code downtime}, and starts
   * it again on the same ports with the same data directory; returns once it answers admin
   * requests. For fault tests. The restarted broker runs Kafka's own main class (its log is
   * formatted already), so it lacks the stdin watchdog: it stops on {@link #close()} or on this
   * JVM's shutdown hook.
   */
  public void restart(Duration downtime) throws IOException, InterruptedException {
    broker.destroy();
    if (!broker.waitFor(60, TimeUnit.SECONDS)) {
      broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    Thread.sleep(downtime.toMillis());
    broker = BrokerLauncher.relaunch(workDir);
    awaitReady();
  }

  /** Kills the broker and deletes its data. */
  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
    stopBroker();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or about to; it does the same work.
    }
  }

  private void stopBroker() {
    // SIGKILL: the data is thrown away, so a graceful controlled shutdown would only cost time.
    broker.destroyForcibly();
    try {
      broker.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteRecursively(workDir);
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    DescribeClusterOptions quick = new DescribeClusterOptions().timeoutMs(2_000);
    while (true) {
      if (!broker.isAlive()) {
        throw new IllegalStateException(
            "Kafka broker exited with code "
                + broker.exitValue()
                + " during startup:\n"
                + BrokerLauncher.logTail(workDir));
      }
      try {
        if (!admin.describeCluster(quick).nodes().get().isEmpty()) {
          return;
        }
      } catch (ExecutionException notYet) {
        // Not listening or not elected yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Kafka broker not ready after "
                + STARTUP_TIMEOUT
                + ":\n"
                + BrokerLauncher.logTail(workDir));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
      }
    }
  }

  /**
   * Creates the SCRAM credential over the PLAINTEXT listener, then waits until a client using it is
   * let in on the SASL listener: the controller commits the credential before the broker's
   * authenticator has it, and a login in between fails.
   */
  private void createScramUser(String username, String password) {
    try {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      username,
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                      password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating SCRAM user " + username, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create SCRAM user " + username, e);
    }
    Map<String, Object> client = new HashMap<>(scramClientProperties(username, password));
    client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, saslBootstrapServers);
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (true) {
      // A fresh client per try: one that failed authentication backs off before trying again.
      try (Admin sasl = Admin.create(client)) {
        sasl.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get();
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof SaslAuthenticationException)
            || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "SCRAM user " + username + " not admitted on " + saslBootstrapServers, e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for SCRAM user " + username, e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for SCRAM user " + username, e);
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException | UncheckedIOException e) {
      // Best effort: a leftover temp directory is not worth failing a test or the demo for.
    }
  }
}
