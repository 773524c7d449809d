package io.quasid.job.embedded;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Starts the child JVM of an embedded single-node KRaft broker ({@link EmbeddedKafka}, and the
 * tests' secured broker): writes its {@code server.properties} into the broker's work directory,
 * builds its command line, and sends its output to {@code broker.log} there.
 */
public final class BrokerLauncher {

  private static final String HEAP = "-Xmx512m";
  private static final String SASL_LISTENER = "SASL";
  private static final String SERVER_PROPERTIES = "server.properties";
  private static final String LOG = "broker.log";

  private BrokerLauncher() {}

  /**
   * Formats a fresh broker in {@code workDir} and starts it.
   *
   * @param saslPort the port of a SASL_PLAINTEXT listener for SCRAM-SHA-256 clients, or -1 for none
   */
  static Process launch(Path workDir, int brokerPort, int controllerPort, int saslPort)
      throws IOException {
    Properties p = new Properties();
    String listeners =
        "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort;
    String protocols = "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT";
    if (saslPort >= 0) {
      listeners += "," + SASL_LISTENER + "://localhost:" + saslPort;
      protocols += "," + SASL_LISTENER + ":" + SecurityProtocol.SASL_PLAINTEXT.name;
      String prefix = "listener.name." + SASL_LISTENER.toLowerCase(Locale.ROOT) + ".";
      p.setProperty(prefix + "sasl.enabled.mechanisms", EmbeddedKafka.SCRAM);
      // The server side of SCRAM needs no options: credentials come from the metadata log.
      p.setProperty(
          prefix + EmbeddedKafka.SCRAM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    p.setProperty("listeners", listeners);
    p.setProperty("advertised.listeners", listeners);
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", protocols);
    return launch(workDir, controllerPort, p);
  }

  /**
   * Formats a fresh broker in {@code workDir} and starts it: combined broker and controller, one
   * node, with the controller on {@code controllerPort} (a PLAINTEXT listener named {@code
   * CONTROLLER}) and {@code listeners} for everything else (its listeners, their protocols and
   * settings, the inter-broker listener).
   *
   * @param formatOptions passed on to {@code kafka-storage format} (e.g. {@code --add-scram} for a
   *     broker whose own listener needs SCRAM credentials before it can start)
   */
  public static Process launch(
      Path workDir, int controllerPort, Properties listeners, String... formatOptions)
      throws IOException {
    Path config = writeServerProperties(workDir, controllerPort, listeners);
    List<String> command = javaCommand();
    command.add(KafkaBrokerProcess.class.getName());
    command.add(config.toString());
    command.add(Uuid.randomUuid().toString());
    command.addAll(List.of(formatOptions));
    File log = workDir.resolve(LOG).toFile();
    // stdin stays a pipe that we never close: the child's watchdog exits when it breaks.
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log))
        .start();
  }

  /**
   * Starts the broker of {@code workDir} again, with its configuration and data, as Kafka's own
   * main class: its log is formatted already.
   */
  static Process relaunch(Path workDir) throws IOException {
    List<String> command = javaCommand();
    command.add("kafka.Kafka");
    command.add(workDir.resolve(SERVER_PROPERTIES).toString());
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve(LOG).toFile()))
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

  private static Path writeServerProperties(Path workDir, int controllerPort, Properties listeners)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
    p.setProperty("controller.listener.names", "CONTROLLER");
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
    p.putAll(listeners);
    Path file = workDir.resolve(SERVER_PROPERTIES);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "embedded single-node KRaft broker");
    }
    return file;
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The last lines the broker of {@code workDir} logged, for error messages. */
  public static String logTail(Path workDir) {
    try {
      List<String> lines = Files.readAllLines(workDir.resolve(LOG), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no broker log: " + e + ")";
    }
  }
}
