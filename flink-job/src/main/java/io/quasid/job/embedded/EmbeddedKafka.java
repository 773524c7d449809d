package io.quasid.job.embedded;

import io.quasid.job.config.QuasidJobOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A single-node Kafka (KRaft, combined broker + controller) in a child JVM, for the tests and the
 * demo. A child process keeps the broker's Scala and server dependencies away from Flink's
 * classloaders and lets the broker be killed cleanly.
 *
 * <p>It listens on free localhost ports, keeps its logs in a temporary directory that {@link
 * #close()} deletes, and is configured so transactions (Flink's exactly-once sink) work with one
 * node. The child dies on {@link #close()}, on JVM shutdown, and also when this JVM dies without
 * shutdown hooks (it watches its stdin).
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
  private static final String HEAP = "-Xmx512m";

  private final Path workDir;
  private volatile Process broker;
  private final String bootstrapServers;
  private final Thread shutdownHook;
  private final Admin admin;

  private EmbeddedKafka(Path workDir, Process broker, String bootstrapServers) {
    this.workDir = workDir;
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
    this.shutdownHook = new Thread(this::stopBroker, "embedded-kafka-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** Starts a broker and returns once it answers admin requests. */
  public static EmbeddedKafka start() {
    Path workDir;
    try {
      workDir = Files.createTempDirectory("quasid-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's temp directory", e);
    }
    EmbeddedKafka kafka = null;
    try {
      int brokerPort = freePort();
      int controllerPort = freePort();
      Path config = writeServerProperties(workDir, brokerPort, controllerPort);
      Process process = launch(workDir, config);
      kafka = new EmbeddedKafka(workDir, process, "localhost:" + brokerPort);
      kafka.awaitReady();
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

  /** The {@code bootstrap.servers} value for clients. */
  public String bootstrapServers() {
    return bootstrapServers;
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
   * The job's four topics as {@code options} names them: inputs and the compacted SID topic with
   * {@code partitions} partitions, dead letters with one.
   */
  public void createJobTopics(QuasidJobOptions options, int partitions) {
    createTopic(options.get(QuasidJobOptions.ITEMS_TOPIC), partitions, false);
    createTopic(options.get(QuasidJobOptions.INTERACTIONS_TOPIC), partitions, false);
    createTopic(options.get(QuasidJobOptions.SID_TOPIC), partitions, true);
    createTopic(options.get(QuasidJobOptions.DEAD_LETTER_TOPIC), 1, false);
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
    List<String> command = javaCommand();
    command.add("kafka.Kafka");
    command.add(workDir.resolve("server.properties").toString());
    broker =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(workDir.resolve("broker.log").toFile()))
            .start();
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
                + logTail());
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
            "Kafka broker not ready after " + STARTUP_TIMEOUT + ":\n" + logTail());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
      }
    }
  }

  private static Process launch(Path workDir, Path config) throws IOException {
    List<String> command = javaCommand();
    command.add(KafkaBrokerProcess.class.getName());
    command.add(config.toString());
    command.add(Uuid.randomUuid().toString());
    File log = workDir.resolve("broker.log").toFile();
    // stdin stays a pipe that we never close: the child's watchdog exits when it breaks.
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log))
        .start();
  }

  private static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(HEAP);
    // Serial GC and C1-only JIT: startup time matters more than peak throughput for a test broker.
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Djava.awt.headless=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    return command;
  }

  private static Path writeServerProperties(Path workDir, int brokerPort, int controllerPort)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
    p.setProperty(
        "listeners",
        "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
    p.setProperty(
        "advertised.listeners",
        "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.setProperty("log.dirs", workDir.resolve("data").toString());
    p.setProperty("num.partitions", "1");
    // One node: every internal topic has one replica, and few partitions so it is created fast.
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // Flink's KafkaSink asks for 1 h transactions by default; the broker's default cap is 15 min.
    p.setProperty("transaction.max.timeout.ms", "3600000");
    Path file = workDir.resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "embedded single-node KRaft broker");
    }
    return file;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private String logTail() {
    try {
      List<String> lines =
          Files.readAllLines(workDir.resolve("broker.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no broker log: " + e + ")";
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
