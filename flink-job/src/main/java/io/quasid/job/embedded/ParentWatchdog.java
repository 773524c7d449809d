package io.quasid.job.embedded;

import java.io.IOException;
import java.io.InputStream;

/**
 * For child JVMs that tests and the demo start (the broker, Flink processes): the parent holds the
 * child's stdin open and never writes to it; end of stream means it died without running its
 * shutdown hook (kill -9, crashed fork), so the child must not outlive it.
 */
public final class ParentWatchdog {

  private ParentWatchdog() {}

  /** Starts a daemon thread that halts this JVM when stdin reaches its end. */
  public static void start() {
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
}
