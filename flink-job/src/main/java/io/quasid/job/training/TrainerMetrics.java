package io.quasid.job.training;

import io.quasid.model.TrainResult;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

/**
 * The trainer's Flink metrics, under the {@code quasid-training} group: every loss term of the last
 * step, steps/s, examples/s, model version and step, held-out collision rate, per-level code
 * utilisation and perplexity of the last evaluated candidate, replay-buffer fill, and counts of
 * published and rejected versions, roll-backs and dropped (malformed or poisonous) examples.
 */
final class TrainerMetrics {
  private final Counter steps;
  private final Counter examples;
  private final Counter published;
  private final Counter rejected;
  private final Counter rollbacks;
  private final java.util.Map<QualityGate.Criterion, Counter> rejectedBy =
      new java.util.EnumMap<>(QualityGate.Criterion.class);
  private volatile double candidateCoherence = Double.NaN;
  private volatile double liveCoherence = Double.NaN;
  private volatile double lastChurn = Double.NaN;
  private final Counter dropped;
  private final Counter deferred;
  private volatile TrainResult last;
  private volatile CodeUsageStats evaluated;

  TrainerMetrics(
      MetricGroup parent,
      int levels,
      LongSupplier modelVersion,
      LongSupplier modelStep,
      DoubleSupplier replayFill,
      LongSupplier catalogueSampleItems,
      LongSupplier gateSampleItems) {
    MetricGroup g = parent.addGroup("quasid-training");
    steps = g.counter("steps");
    examples = g.counter("examples");
    g.meter("stepsPerSecond", new MeterView(steps));
    g.meter("examplesPerSecond", new MeterView(examples));
    published = g.counter("publishedVersions");
    rejected = g.counter("rejectedVersions");
    rollbacks = g.counter("rollbacks");
    dropped = g.counter("droppedExamples");
    deferred = g.counter("examplesDeferredToReplay");
    g.gauge("modelVersion", (Gauge<Long>) modelVersion::getAsLong);
    g.gauge("modelStep", (Gauge<Long>) modelStep::getAsLong);
    g.gauge("replayBufferFill", (Gauge<Double>) replayFill::getAsDouble);
    g.gauge("catalogueSampleItems", (Gauge<Long>) catalogueSampleItems::getAsLong);
    g.gauge("gateSampleItems", (Gauge<Long>) gateSampleItems::getAsLong);
    lossGauge(g, "lossTotal", TrainResult::total);
    lossGauge(g, "lossReconstruction", TrainResult::reconstruction);
    lossGauge(g, "lossQuantization", TrainResult::quantization);
    lossGauge(g, "lossContrastive", TrainResult::contrastive);
    lossGauge(g, "lossRepulsionFull", TrainResult::repulsionFull);
    lossGauge(g, "lossRepulsionPartial", TrainResult::repulsionPartial);
    lossGauge(g, "lossAnchorLatent", TrainResult::anchorLatent);
    lossGauge(g, "lossAnchorCodebook", TrainResult::anchorCodebook);
    // How many qualified conflict pairs the repulsion saw in the last step, per tier: zero for
    // long stretches means the masks leave it nothing to act on.
    g.gauge(
        "repulsionFullPairs",
        (Gauge<Long>) () -> last == null ? 0L : (long) last.fullCollisionPairs());
    g.gauge(
        "repulsionPartialPairs",
        (Gauge<Long>) () -> last == null ? 0L : (long) last.partialCollisionPairs());
    g.gauge("skippedSteps", (Gauge<Long>) () -> last == null ? 0L : last.skippedSteps());
    g.gauge("heldOutCollisionRate", (Gauge<Double>) () -> evaluatedOr(s -> s.collisionRate()));
    g.gauge("gateCandidateCoherence", (Gauge<Double>) () -> candidateCoherence);
    g.gauge("gateLiveCoherence", (Gauge<Double>) () -> liveCoherence);
    g.gauge("gateChurn", (Gauge<Double>) () -> lastChurn);
    for (QualityGate.Criterion c : QualityGate.Criterion.values()) {
      rejectedBy.put(c, g.counter("rejectedBy" + camel(c)));
    }
    for (int l = 0; l < levels; l++) {
      int level = l;
      g.gauge(
          "level" + l + "Utilisation",
          (Gauge<Double>) () -> evaluatedOr(s -> s.utilisation()[level]));
      g.gauge(
          "level" + l + "Perplexity",
          (Gauge<Double>) () -> evaluatedOr(s -> s.perplexity()[level]));
    }
  }

  private static String camel(QualityGate.Criterion c) {
    StringBuilder out = new StringBuilder();
    for (String part : c.name().toLowerCase(java.util.Locale.ROOT).split("_")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }

  double lastGateCoherence() {
    return candidateCoherence;
  }

  long rejectedCount(QualityGate.Criterion c) {
    return rejectedBy.get(c).getCount();
  }

  private void lossGauge(MetricGroup g, String name, Function<TrainResult, Float> term) {
    g.gauge(name, (Gauge<Float>) () -> last == null ? Float.NaN : term.apply(last));
  }

  private double evaluatedOr(ToDoubleFunction<CodeUsageStats> f) {
    CodeUsageStats s = evaluated;
    return s == null ? Double.NaN : f.applyAsDouble(s);
  }

  void examplesIn(int n) {
    examples.inc(n);
  }

  /** The last step's result, or null before the first; for tests. */
  TrainResult lastStep() {
    return last;
  }

  void stepped(TrainResult result) {
    last = result;
    steps.inc();
  }

  void dropped() {
    dropped.inc();
  }

  void dropped(int n) {
    dropped.inc(n);
  }

  void deferred(int n) {
    deferred.inc(n);
  }

  void published() {
    published.inc();
  }

  /** One gate evaluation: per-criterion rejections, and what the gate saw. */
  void gated(GateDecision decision, GateMeasurement candidate, GateMeasurement live) {
    if (candidate != null) {
      evaluated = candidate.usage();
      candidateCoherence = candidate.coherence();
    }
    liveCoherence = live == null ? Double.NaN : live.coherence();
    lastChurn = decision.churn();
    if (!decision.accepted()) {
      rejected.inc();
      rejectedBy.get(decision.failed()).inc();
    }
  }

  void rolledBack() {
    rollbacks.inc();
  }

  long publishedCount() {
    return published.getCount();
  }

  long rejectedCount() {
    return rejected.getCount();
  }

  long droppedCount() {
    return dropped.getCount();
  }

  long deferredCount() {
    return deferred.getCount();
  }

  long rollbackCount() {
    return rollbacks.getCount();
  }
}
