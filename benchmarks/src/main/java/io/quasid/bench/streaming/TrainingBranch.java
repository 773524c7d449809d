package io.quasid.bench.streaming;

import io.quasid.job.pipeline.KnownItemGate;
import io.quasid.job.pipeline.RawRecord;
import io.quasid.job.pipeline.SourcedInteraction;
import io.quasid.job.training.CoEngagementPairGenerator;
import io.quasid.job.training.ItemToExample;
import io.quasid.job.training.PopularTargetSampler;
import io.quasid.job.training.TrainingExample;
import io.quasid.job.training.TrainingOptions;
import io.quasid.job.types.Engagement;
import io.quasid.job.types.Interaction;
import io.quasid.job.types.ItemFeature;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The job's training branch up to the trainer (the known-item gate as the job runs it when
 * training, then {@code TrainingPipeline.attach}: co-engagement pairs, popular-target guard, item
 * examples), run through Flink operator test harnesses over a {@link StreamReplay}. Each item's
 * features are published just before its first interaction, as in a growing catalogue; the
 * trainer's input is recorded with the stream position it arrived at, so every trainer arm replays
 * the same examples.
 */
final class TrainingBranch {

  /** Event time of stream event 0; events are one millisecond apart, as the demo publishes them. */
  static final long FIRST_EVENT_TIME = 1_767_225_600_000L;

  /** Grace of the gate; never reached, as every item is published before its first interaction. */
  private static final long GATE_GRACE_MILLIS = 30_000;

  /**
   * @param examples the trainer's input in arrival order
   * @param positions stream event that produced each example
   * @param heldInteractions interactions the gate held back (none expected: features come first)
   * @param seconds wall time of the branch
   */
  record Output(
      List<TrainingExample> examples, int[] positions, long heldInteractions, double seconds) {}

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
    var gate =
        new KeyedTwoInputStreamOperatorTestHarness<
            String, ItemFeature, SourcedInteraction, Engagement>(
            new KeyedCoProcessOperator<>(
                new KnownItemGate(
                    GATE_GRACE_MILLIS, GATE_GRACE_MILLIS, options.engagementAdmission())),
            f -> f.itemId,
            i -> i.interaction.itemId,
            Types.STRING);
    var pairs =
        new KeyedOneInputStreamOperatorTestHarness<String, Engagement, TrainingExample>(
            new KeyedProcessOperator<>(new CoEngagementPairGenerator(options)),
            e -> e.interaction.userId,
            Types.STRING);
    var guard =
        new KeyedOneInputStreamOperatorTestHarness<String, TrainingExample, TrainingExample>(
            new KeyedProcessOperator<>(new PopularTargetSampler(options)),
            p -> p.targetItemId,
            Types.STRING);
    List<AbstractStreamOperatorTestHarness<?>> all = List.of(gate, pairs, guard);
    for (var h : all) {
      h.open();
    }
    ItemToExample itemExamples = new ItemToExample();
    List<TrainingExample> examples = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    long held = 0;
    String[] userIds = new String[replay.users().length == 0 ? 0 : maxUser(replay) + 1];
    try {
      for (int at = 0; at < replay.length(); at++) {
        int item = replay.items()[at];
        long time = FIRST_EVENT_TIME + at;
        if (replay.firstArrival()[item] == at) {
          ItemFeature feature = ItemFeature.upsert(ids[item], vectors[item], groups[item], time);
          gate.processElement1(new StreamRecord<>(feature, time));
          List<TrainingExample> single = new ArrayList<>(1);
          itemExamples.flatMap(feature, new ListCollector<>(single));
          add(examples, positions, single, at);
        }
        int user = replay.users()[at];
        if (userIds[user] == null) {
          userIds[user] = "u" + user;
        }
        Interaction interaction = new Interaction(userIds[user], ids[item], "review", 1.0f, time);
        gate.processElement2(
            new StreamRecord<>(
                new SourcedInteraction(
                    interaction, new RawRecord("interactions", 0, at, time, null, new byte[0])),
                time));
        List<Engagement> passed = drain(gate);
        held += passed.isEmpty() ? 1 : 0;
        for (Engagement e : passed) {
          pairs.processElement(e, time);
        }
        for (TrainingExample p : drain(pairs)) {
          guard.processElement(p, time);
        }
        add(examples, positions, drain(guard), at);
      }
    } finally {
      for (var h : all) {
        h.close();
      }
    }
    return new Output(
        examples,
        positions.stream().mapToInt(Integer::intValue).toArray(),
        held,
        (System.nanoTime() - t0) / 1e9);
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
