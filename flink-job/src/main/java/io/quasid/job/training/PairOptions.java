package io.quasid.job.training;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Where the trainer's co-engaged pairs come from: per-user history, the pair window, and the cap on
 * popular targets.
 */
public final class PairOptions {

  public static final ConfigOption<Integer> HISTORY_SIZE =
      ConfigOptions.key("training.history-size")
          .intType()
          .defaultValue(50)
          .withDescription("Most distinct recent items kept per user; older ones are dropped.");
  public static final ConfigOption<Duration> HISTORY_TTL =
      ConfigOptions.key("training.history-ttl")
          .durationType()
          .defaultValue(Duration.ofDays(7))
          .withDescription(
              "Processing-time TTL of each history entry, so idle users leave no state behind.");
  public static final ConfigOption<Integer> PAIR_WINDOW_SIZE =
      ConfigOptions.key("training.pair-window-size")
          .intType()
          .defaultValue(10)
          .withDescription("A new engagement pairs with at most this many most recent items.");
  public static final ConfigOption<Duration> PAIR_WINDOW_TIME =
      ConfigOptions.key("training.pair-window-time")
          .durationType()
          .defaultValue(Duration.ofHours(1))
          .withDescription("Only items engaged within this event-time distance form a pair.");
  public static final ConfigOption<Integer> MAX_PAIRS_PER_EVENT =
      ConfigOptions.key("training.max-pairs-per-event")
          .intType()
          .defaultValue(5)
          .withDescription("Cap of pairs per interaction; bounds what one heavy user contributes.");
  public static final ConfigOption<Integer> POPULAR_TARGET_THRESHOLD =
      ConfigOptions.key("training.popular-target-threshold")
          .intType()
          .defaultValue(1000)
          .withDescription(
              "Pairs per target item kept in full; beyond it the n-th pair is kept with "
                  + "probability threshold/n, so popular items do not dominate training.");
  public static final ConfigOption<Duration> POPULARITY_TTL =
      ConfigOptions.key("training.popularity-ttl")
          .durationType()
          .defaultValue(Duration.ofDays(1))
          .withDescription("TTL of the per-target pair count: popularity is recent popularity.");
  public static final ConfigOption<Double> MAX_ENGAGEMENTS_PER_SECOND =
      ConfigOptions.key("training.max-engagements-per-second")
          .doubleType()
          .defaultValue(1000.0)
          .withDescription(
              "Engagements per second (job-wide) the training branch takes (0 = all). Above it the"
                  + " known-item gate admits a share of users (by a seeded hash, so a user's"
                  + " engagements stay together) sized to the budget: the trainer steps on at most"
                  + " max-steps-per-second x new-rows-per-step new rows anyway, and every further"
                  + " engagement costs the CPU SID assignment shares.");

  private PairOptions() {}
}
