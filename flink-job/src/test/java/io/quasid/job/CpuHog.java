package io.quasid.job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Busy threads beside a test, one per core: the loaded CI box on which the known-item gate once
 * dead-lettered a valid interaction (a source fetch slower than the grace was taken for a partition
 * with nothing left to read).
 */
final class CpuHog implements AutoCloseable {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  static CpuHog onEveryCore() {
    return new CpuHog(Runtime.getRuntime().availableProcessors());
  }

  private CpuHog(int threadCount) {
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::spin, "cpu-hog-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  private void spin() {
    long x = 0;
    while (running.get()) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    if (x == 42) {
      System.out.print(""); // keeps the loop from being optimised away
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join();
    }
  }
}
