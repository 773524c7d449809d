package io.quasid.job.training;

import java.io.Serializable;

/**
 * Which engagements enter the training branch, so that training never takes the CPU that SID
 * assignment needs when interactions arrive faster than the trainer can use them. The trainer makes
 * at most {@code max-steps-per-second} steps of {@code new-rows-per-step} new rows; everything
 * beyond only refreshes its replay reservoir, yet every engagement costs a shuffle, the pair
 * generator's state and up to {@code max-pairs-per-event} pairs through the guard and into the
 * trainer (the streaming benchmark's profile: the training branch used more of the box than the
 * assignment path).
 *
 * <p>Admission is by user: a user is admitted while a seeded hash of the user id lies below the
 * current fraction, so an admitted user's engagements stay together (their pairs are the signal),
 * and a user admitted at a lower fraction stays admitted at a higher one. Each subtask measures the
 * rate of engagements it sees over one-second windows of processing time (smoothed) and sets the
 * fraction to its share of the job-wide budget divided by that rate, capped at 1. Below the budget
 * every engagement trains, as before; a stream with no processing time passing (operator test
 * harnesses) never leaves its first window and admits everything.
 *
 * <p>Not exact: subtasks that see different rates (item skew) hold different fractions, so a user
 * near the threshold may be admitted on one subtask and not on another; and the fraction follows
 * processing time and starts at 1 after a restore, so a replay may admit other users than the first
 * pass. Training tolerates both; SID assignment does not depend on admission.
 */
public final class EngagementAdmission implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final long USER_SALT = 0xAD317L;
  private static final long WINDOW_MILLIS = 1_000;

  private final double maxPerSecond;
  private final long seed;

  private transient double perSubtask;
  private transient double fraction;
  private transient double rate;
  private transient long windowStart;
  private transient long seenInWindow;

  /**
   * @param maxPerSecond job-wide engagements per second the training branch takes (0: all)
   * @param seed seed of the user hash
   */
  public EngagementAdmission(double maxPerSecond, long seed) {
    if (!(maxPerSecond >= 0) || Double.isInfinite(maxPerSecond)) {
      throw new IllegalArgumentException("engagement budget must be >= 0: " + maxPerSecond);
    }
    this.maxPerSecond = maxPerSecond;
    this.seed = seed;
  }

  /** Starts measuring on one of {@code parallelism} subtasks. */
  public void open(int parallelism) {
    perSubtask = maxPerSecond / parallelism;
    fraction = 1;
    rate = 0;
    windowStart = Long.MIN_VALUE;
    seenInWindow = 0;
  }

  /**
   * Counts one engagement of {@code userId} at processing time {@code now}; true to train on it.
   */
  public boolean admit(String userId, long now) {
    if (maxPerSecond <= 0) {
      return true;
    }
    if (windowStart == Long.MIN_VALUE) {
      windowStart = now;
    } else if (now - windowStart >= WINDOW_MILLIS) {
      double observed = seenInWindow * 1000.0 / (now - windowStart);
      rate = rate == 0 ? observed : 0.5 * rate + 0.5 * observed;
      fraction = rate <= perSubtask ? 1 : perSubtask / rate;
      windowStart = now;
      seenInWindow = 0;
    }
    seenInWindow++;
    return fraction >= 1
        || SeededDraws.uniform(seed, USER_SALT, SeededDraws.idHash(userId)) < fraction;
  }

  /** Share of users admitted now, in (0, 1]. */
  public double fraction() {
    return fraction;
  }
}
