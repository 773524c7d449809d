package io.quasid.job.faults;

import io.quasid.job.embedded.ParentWatchdog;
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
    ParentWatchdog.start();
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "jobmanager" -> StandaloneSessionClusterEntrypoint.main(rest);
      case "taskmanager" -> TaskManagerRunner.main(rest);
      default -> throw new IllegalArgumentException("unknown role " + args[0]);
    }
  }

  private FlinkProcessMain() {}
}
