package io.quasid.job.pipeline;

import io.quasid.schemas.ErrorKind;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.OutputTag;

/** The side output every validating operator rejects to, and its per-kind counters. */
public final class DeadLetters {

  /** One tag for all operators, so the job unions them into one dead-letter sink. */
  public static final OutputTag<RejectedRecord> TAG =
      new OutputTag<>("dead-letters", TypeInformation.of(RejectedRecord.class));

  private final Map<ErrorKind, Counter> byKind = new EnumMap<>(ErrorKind.class);

  /** Registers {@code deadLetters.<KIND>} counters under {@code group}. */
  public DeadLetters(MetricGroup group) {
    MetricGroup dl = group.addGroup("deadLetters");
    for (ErrorKind kind : ErrorKind.values()) {
      byKind.put(kind, dl.counter(kind.name()));
    }
  }

  public void count(ErrorKind kind) {
    byKind.get(kind).inc();
  }
}
