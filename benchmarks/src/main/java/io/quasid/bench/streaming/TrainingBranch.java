package io.quasid.bench.streaming;

import io.quasid.job.training.CoEngagementPairGenerator;
import io.quasid.job.training.CollaborativePair;
import io.quasid.job.training.ItemToExample;
import io.quasid.job.training.PopularTargetSampler;
import io.quasid.job.training.RejectedPair;
import io.quasid.job.training.TargetFeatureJoin;
import io.quasid.job.training.TrainingExample;
import io.quasid.job.training.TrainingOptions;
import io.quasid.job.training.TriggerFeatureJoin;
import io.quasid.job.types.Interaction;
import io.quasid.job.types.ItemFeature;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * The job's training branch up to the trainer ({@code TrainingPipeline.attach}: co-engagement
 * pairs, popular-target guard, trigger and target feature joins, item examples), run through Flink
 * operator test harnesses over a {@link StreamReplay}. Each item's features are published just
 * before its first interaction, as in a growing catalogue; the trainer's input is recorded with the
 * stream position it arrived at, so every trainer arm replays the same examples.
 */
final class TrainingBranch {

  /** The joins' side output (same id as the job's; tags are equal by id). */
  private static final OutputTag<RejectedPair> REJECTED =
      new OutputTag<>("rejected-pairs", TypeInformation.of(RejectedPair.class));

  /** Event time of stream event 0; events are one millisecond apart, as the demo publishes them. */
  static final long FIRST_EVENT_TIME = 1_767_225_600_000L;

  /**
   * @param examples the trainer's input in arrival order
   * @param positions stream event that produced each example
   * @param rejectedPairs pairs the joins turned away (none expected: features come first)
   * @param seconds wall time of the branch
   */
  record Output(
      List<TrainingExample> examples, int[] positions, long rejectedPairs, double seconds) {}

  private TrainingBranch() {}

  /**
   * @param ids item id strings ("1".."N", as the demo's)
   * @param groups product group per item, or null
   */
  static Output run(
      StreamReplay replay,
      float[][] vectors,
      String[] ids,
      String[] groups,
      TrainingOptions options)
      throws Exception {
    long t0 = System.nanoTime();
    var pairs =
        new KeyedOneInputStreamOperatorTestHarness<String, Interaction, CollaborativePair>(
            new KeyedProcessOperator<>(new CoEngagementPairGenerator(options)),
            i -> i.userId,
            Types.STRING);
    var guard =
        new KeyedOneInputStreamOperatorTestHarness<String, CollaborativePair, CollaborativePair>(
            new KeyedProcessOperator<>(new PopularTargetSampler(options)),
            p -> p.targetId,
            Types.STRING);
    var triggerJoin =
        new KeyedTwoInputStreamOperatorTestHarness<
            String, CollaborativePair, ItemFeature, TrainingExample>(
            // The harnesses have no clock: pairs without features are rejected at once (grace 0).
            new KeyedCoProcessOperator<>(new TriggerFeatureJoin(0)),
            p -> p.triggerId,
            f -> f.itemId,
            Types.STRING);
    var targetJoin =
        new KeyedTwoInputStreamOperatorTestHarness<
            String, TrainingExample, ItemFeature, TrainingExample>(
            new KeyedCoProcessOperator<>(new TargetFeatureJoin(0)),
            e -> e.targetItemId,
            f -> f.itemId,
            Types.STRING);
    List<AbstractStreamOperatorTestHarness<?>> all = List.of(pairs, guard, triggerJoin, targetJoin);
    for (var h : all) {
      h.open();
    }
    ItemToExample itemExamples = new ItemToExample();
    List<TrainingExample> examples = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    long rejected = 0;
    String[] userIds = new String[replay.users().length == 0 ? 0 : maxUser(replay) + 1];
    try {
      for (int at = 0; at < replay.length(); at++) {
        int item = replay.items()[at];
        long time = FIRST_EVENT_TIME + at;
        if (replay.firstArrival()[item] == at) {
          ItemFeature feature = ItemFeature.upsert(ids[item], vectors[item], groups[item], time);
          triggerJoin.processElement2(new StreamRecord<>(feature, time));
          targetJoin.processElement2(new StreamRecord<>(feature, time));
          List<TrainingExample> single = new ArrayList<>(1);
          itemExamples.flatMap(feature, new ListCollector<>(single));
          add(examples, positions, single, at);
        }
        int user = replay.users()[at];
        if (userIds[user] == null) {
          userIds[user] = "u" + user;
        }
        pairs.processElement(new Interaction(userIds[user], ids[item], "review", 1.0f, time), time);
        for (CollaborativePair p : drain(pairs)) {
          guard.processElement(p, time);
        }
        for (CollaborativePair p : drain(guard)) {
          triggerJoin.processElement1(new StreamRecord<>(p, time));
        }
        for (TrainingExample half : drain(triggerJoin)) {
          targetJoin.processElement1(new StreamRecord<>(half, time));
        }
        add(examples, positions, drain(targetJoin), at);
        rejected += rejected(triggerJoin) + rejected(targetJoin);
      }
    } finally {
      for (var h : all) {
        h.close();
      }
    }
    return new Output(
        examples,
        positions.stream().mapToInt(Integer::intValue).toArray(),
        rejected,
        (System.nanoTime() - t0) / 1e9);
  }

  private static long rejected(AbstractStreamOperatorTestHarness<?> join) {
    var side = join.getSideOutput(REJECTED);
    long n = side == null ? 0 : side.size();
    if (side != null) {
      side.clear();
    }
    return n;
  }

  private static int maxUser(StreamReplay replay) {
    int max = 0;
    for (int u : replay.users()) {
      max = Math.max(max, u);
    }
    return max;
  }

  private static void add(
      List<TrainingExample> examples,
      List<Integer> positions,
      List<TrainingExample> batch,
      int at) {
    for (TrainingExample e : batch) {
      examples.add(e);
      positions.add(at);
    }
  }

  /** Values emitted by {@code harness} since the last call; clears its output. */
  @SuppressWarnings("unchecked")
  static <T> List<T> drain(AbstractStreamOperatorTestHarness<T> harness) {
    List<T> out = new ArrayList<>();
    for (Object o : harness.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        out.add((T) r.getValue());
      }
    }
    harness.getOutput().clear();
    return out;
  }
}
