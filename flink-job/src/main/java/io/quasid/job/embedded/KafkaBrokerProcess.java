package io.quasid.job.embedded;

import java.io.IOException;
import java.io.InputStream;
import kafka.Kafka;
import kafka.tools.StorageTool;

/**
 * Main class of the child JVM that {@link EmbeddedKafka} starts: formats the log directory and runs
 * Kafka's own combined broker + controller. Formatting and serving in one JVM saves a second JVM
 * start.
 *
 * <p>Arguments: {@code <server.properties> <cluster id>}.
 */
public final class KafkaBrokerProcess {

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: KafkaBrokerProcess <server.properties> <cluster id>");
      System.exit(2);
    }
    String config = args[0];
    String clusterId = args[1];
    int formatted =
        StorageTool.execute(
            new String[] {"format", "--standalone", "-t", clusterId, "-c", config}, System.out);
    if (formatted != 0) {
      System.err.println("kafka-storage format failed with exit code " + formatted);
      System.exit(formatted);
    }
    exitWhenParentGoes();
    Kafka.main(new String[] {config});
  }

  /**
   * The parent holds our stdin open and never writes to it; end of stream means it died without
   * running its shutdown hook (kill -9, crashed fork), so the broker must not outlive it.
   */
  private static void exitWhenParentGoes() {
    Thread watchdog =
        new Thread(
            () -> {
              try (InputStream parent = System.in) {
                while (parent.read() >= 0) {
                  // The parent never writes; anything read is ignored.
                }
              } catch (IOException ignored) {
                // A broken pipe means the same as end of stream.
              }
              Runtime.getRuntime().halt(0);
            },
            "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private KafkaBrokerProcess() {}
}
