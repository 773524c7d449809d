package io.quasid.job.embedded;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kafka.Kafka;
import kafka.tools.StorageTool;

/**
 * Main class of the child JVM that {@link EmbeddedKafka} starts: formats the log directory and runs
 * Kafka's own combined broker + controller. Formatting and serving in one JVM saves a second JVM
 * start.
 *
 * <p>Arguments: {@code <server.properties> <cluster id> [format options...]}, the last passed to
 * {@code kafka-storage format} (e.g. {@code --add-scram} for a broker whose own listener needs
 * SCRAM credentials before it can start).
 */
public final class KafkaBrokerProcess {

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println(
          "usage: KafkaBrokerProcess <server.properties> <cluster id> [format options...]");
      System.exit(2);
    }
    String config = args[0];
    String clusterId = args[1];
    List<String> format =
        new ArrayList<>(List.of("format", "--standalone", "-t", clusterId, "-c", config));
    format.addAll(Arrays.asList(args).subList(2, args.length));
    int formatted = StorageTool.execute(format.toArray(String[]::new), System.out);
    if (formatted != 0) {
      System.err.println("kafka-storage format failed with exit code " + formatted);
      System.exit(formatted);
    }
    ParentWatchdog.start();
    Kafka.main(new String[] {config});
  }

  private KafkaBrokerProcess() {}
}
