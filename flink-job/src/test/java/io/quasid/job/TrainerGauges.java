package io.quasid.job;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for MiniCluster tests that keeps the gauges of the running tokenizer trainer
 * (group {@code quasid-training}), so a test can read what a restarted trainer restored. Flink's
 * InMemoryReporter cannot be used: it keys metrics by identifier, and this job's chained operators
 * share identifiers.
 */
public final class TrainerGauges implements MetricReporter {

  /** Registered trainer metrics, name by metric; a task's metrics leave when it closes. */
  private static final Map<Metric, String> LIVE = new ConcurrentHashMap<>();

  static Configuration addTo(Configuration conf) {
    conf.setString("metrics.reporter.trainer-gauges.factory.class", Factory.class.getName());
    return conf;
  }

  /** Every registered trainer metric. */
  static Set<Metric> registered() {
    return Set.copyOf(LIVE.keySet());
  }

  /** The value of a trainer gauge that is not one of {@code excluded}; empty if none is up. */
  @SuppressWarnings("unchecked")
  static OptionalLong gauge(String name, Set<Metric> excluded) {
    List<Metric> found =
        LIVE.entrySet().stream()
            .filter(e -> e.getValue().equals(name) && !excluded.contains(e.getKey()))
            .map(Map.Entry::getKey)
            .toList();
    return found.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(((Gauge<Long>) found.get(0)).getValue());
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    if (group.getMetricIdentifier(name).contains("quasid-training.")) {
      LIVE.put(metric, name);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    LIVE.remove(metric);
  }

  /** Instantiated by Flink from the configuration. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new TrainerGauges();
    }
  }
}
