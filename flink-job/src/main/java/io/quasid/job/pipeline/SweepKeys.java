package io.quasid.job.pipeline;

import java.util.Iterator;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One pass at a time over a subtask's item keys, for a {@link CatalogueSweep}: the next key can be
 * seen without being taken, since the next slice's timer is registered on it. A pass opens when
 * {@link #openPass} is called with none open: at a sweep's start, and after {@link #close}, which a
 * heap state backend forces when new keys invalidate its iterator.
 */
final class SweepKeys implements AutoCloseable {
  private final Supplier<Stream<String>> keys;
  private Stream<String> stream;
  private Iterator<String> iterator;
  private String next;

  /**
   * @param keys a fresh stream over the keys for every pass
   */
  SweepKeys(Supplier<Stream<String>> keys) {
    this.keys = keys;
  }

  /** Opens a pass if none is open; true if it did, so every key will be visited again. */
  boolean openPass() {
    if (iterator != null) {
      return false;
    }
    stream = keys.get();
    iterator = stream.iterator();
    return true;
  }

  boolean hasNext() {
    return next != null || iterator.hasNext();
  }

  String peek() {
    if (next == null) {
      next = iterator.next();
    }
    return next;
  }

  String next() {
    String n = peek();
    next = null;
    return n;
  }

  /** Ends the pass; the next {@link #openPass} starts from the first key. */
  @Override
  public void close() {
    if (stream != null) {
      stream.close();
    }
    stream = null;
    iterator = null;
    next = null;
  }
}
