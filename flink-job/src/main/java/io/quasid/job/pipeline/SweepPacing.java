package io.quasid.job.pipeline;

/**
 * How long a {@link CatalogueSweep} waits between its slices: long enough for the records and
 * checkpoint barriers that are waiting, never longer than {@code assigner.reencode-share} allows
 * the sweep to hold back, and no longer at all when nothing waits.
 *
 * <p>The task runs a due slice before its next input record, so the pause is the input's only time
 * during a sweep. A fixed pause (the slice's time, at a share of 0.5) idles the task whenever the
 * input is quiet: under {@code BUDGET}, where a sweep ranks the whole catalogue before it moves
 * anything, half of the rollover was such idle time. The operator cannot see its input queue, so
 * the pause is set from what the input did in the previous one:
 *
 * <ul>
 *   <li>no input record in it: the next pause is {@link #MIN_PAUSE_MILLIS};
 *   <li>input handled until the slice started (the last record ended less than {@link
 *       #BACKLOG_GAP_NANOS} before): it had a backlog, so the next pause is twice this one;
 *   <li>input that went quiet before the pause ended: twice the time it was busy.
 * </ul>
 *
 * Every pause is capped at {@code t * (1 - share) / share} after a slice of time {@code t}, so a
 * saturated input still gets {@code 1 - share} of the task, as before. A slice that leaves the
 * output back-pressured gets the whole cap: a task reads no input while its output is full, so the
 * input would look quiet exactly when the sweep floods downstream (measured: a 1M-item sweep under
 * ALWAYS without this rule held a checkpoint for 31.7 s).
 */
final class SweepPacing {

  static final long MIN_PAUSE_MILLIS = 1;

  /** Input that ended this shortly before a slice was still being handled when the slice began. */
  static final long BACKLOG_GAP_NANOS = 1_000_000;

  private final double share;

  /** When the pause before the coming slice began (-1: no slice yet in this sweep). */
  private long pauseStartedNanos = -1;

  /** When the newest input record's handling ended. */
  private long lastInputNanos = Long.MIN_VALUE;

  /** What the input asked of the pause that ended at the current slice's start. */
  private long demandNanos;

  private long sliceStartedNanos;

  SweepPacing(double share) {
    this.share = share;
  }

  /** An input record's handling ended at {@code nowNanos}. */
  void inputHandled(long nowNanos) {
    lastInputNanos = nowNanos;
  }

  /** A slice starts at {@code nowNanos}: the pause before it is over. */
  void sliceStarts(long nowNanos) {
    sliceStartedNanos = nowNanos;
    if (pauseStartedNanos < 0 || lastInputNanos < pauseStartedNanos) {
      demandNanos = 0;
    } else if (nowNanos - lastInputNanos < BACKLOG_GAP_NANOS) {
      demandNanos = 2 * (nowNanos - pauseStartedNanos);
    } else {
      demandNanos = 2 * (lastInputNanos - pauseStartedNanos);
    }
  }

  /**
   * The slice that started last ends at {@code nowNanos}: the pause before the next, in ms.
   *
   * @param outputBackpressured the operator's output has no buffer free: downstream is the
   *     bottleneck, and while it is the task reads no input (so the input looks quiet), so the
   *     pause is the share's whole cap
   */
  long pauseAfterSlice(long nowNanos, boolean outputBackpressured) {
    long tookNanos = nowNanos - sliceStartedNanos;
    long capNanos = (long) (tookNanos * (1 - share) / share);
    pauseStartedNanos = nowNanos;
    long pauseNanos = outputBackpressured ? capNanos : Math.min(capNanos, demandNanos);
    return Math.max(MIN_PAUSE_MILLIS, (pauseNanos + 999_999) / 1_000_000);
  }

  /** A new sweep starts: what the input did during the last one says nothing yet. */
  void reset() {
    pauseStartedNanos = -1;
    demandNanos = 0;
  }
}
