package io.quasid.bench.streaming;

import java.util.List;

/**
 * The rate-limited run: items published at {@code rate}/s with their event time stamped at send,
 * latency = when a read_committed consumer saw the item's SID minus that event time.
 */
record LatencyResult(
    double rate,
    long published,
    long committed,
    Percentiles latencies,
    List<FlinkRest.Checkpoint> checkpoints) {}
