package io.quasid.bench.streaming;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Paces events at a fixed rate without drift: event {@code i} is due at {@code start + i / rate},
 * so a late event is sent at once and the schedule catches up instead of sliding (a producer that
 * falls behind shows as a burst, not as a lower rate).
 */
public final class RatePacer {

  private final double nanosPerEvent;
  private final LongSupplier clock;
  private final Sleeper sleeper;
  private long start = -1;
  private long sent;

  /** Sleeps the calling thread; a parameter so tests need not wait. */
  @FunctionalInterface
  public interface Sleeper {
    void sleepNanos(long nanos);
  }

  public RatePacer(double eventsPerSecond) {
    this(eventsPerSecond, System::nanoTime, LockSupport::parkNanos);
  }

  public RatePacer(double eventsPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
    if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
      throw new IllegalArgumentException("rate must be positive and finite: " + eventsPerSecond);
    }
    this.nanosPerEvent = 1e9 / eventsPerSecond;
    this.clock = nanoClock;
    this.sleeper = sleeper;
  }

  /** Blocks until the next event is due; the first call starts the schedule and returns at once. */
  public void acquire() {
    long now = clock.getAsLong();
    if (start < 0) {
      start = now;
    }
    long due = start + (long) (sent * nanosPerEvent);
    while (now < due) {
      sleeper.sleepNanos(due - now);
      now = clock.getAsLong();
    }
    sent++;
  }

  /** Events released so far. */
  public long released() {
    return sent;
  }
}
