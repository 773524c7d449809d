package io.quasid.job.pipeline;

import java.util.Iterator;

/** An iterator over item keys that can show its next key without consuming it. */
final class PeekingIterator implements Iterator<String> {
  private final Iterator<String> inner;
  private String next;

  PeekingIterator(Iterator<String> inner) {
    this.inner = inner;
  }

  String peek() {
    if (next == null) {
      next = inner.next();
    }
    return next;
  }

  @Override
  public boolean hasNext() {
    return next != null || inner.hasNext();
  }

  @Override
  public String next() {
    String n = peek();
    next = null;
    return n;
  }
}
