package io.quasid.job.embedded;

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
    ParentWatchdog.start();
    Kafka.main(new String[] {config});
  }

  private KafkaBrokerProcess() {}
}
