package io.quasid.bench.streaming;

import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The rate-limited run: items published at {@code rate}/s with their event time stamped at send,
 * latency = when a read_committed consumer saw the item's SID minus that event time.
 *
 * @param delivery the job's {@code sink.sid-delivery}: exactly-once, or the low-latency mode
 */
record LatencyResult(
    DeliveryGuarantee delivery,
    double rate,
    long published,
    long committed,
    Percentiles latencies,
    List<FlinkRest.Checkpoint> checkpoints) {}
