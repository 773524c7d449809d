package io.quasid.job.faults;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;

/**
 * Main class of the Flink child JVMs that {@link FlinkProcessCluster} starts: a watchdog that halts
 * the JVM when the test JVM goes away (its stdin pipe breaks, e.g. after a kill -9 of the fork),
 * then Flink's own standalone entry point.
 *
 * <p>Arguments: {@code jobmanager|taskmanager} followed by the entry point's own arguments.
 */
public final class FlinkProcessMain {

  public static void main(String[] args) throws Exception {
    exitWhenParentGoes();
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "jobmanager" -> StandaloneSessionClusterEntrypoint.main(rest);
      case "taskmanager" -> TaskManagerRunner.main(rest);
      default -> throw new IllegalArgumentException("unknown role " + args[0]);
    }
  }

  private static void exitWhenParentGoes() {
    Thread watchdog =
        new Thread(
            () -> {
              try (InputStream parent = System.in) {
                while (parent.read() >= 0) {
                  // The parent never writes.
                }
              } catch (IOException ignored) {
                // Same as end of stream.
              }
              Runtime.getRuntime().halt(0);
            },
            "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private FlinkProcessMain() {}
}
