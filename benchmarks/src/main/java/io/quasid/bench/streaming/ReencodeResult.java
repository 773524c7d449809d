package io.quasid.bench.streaming;

import java.util.List;

/**
 * A new model version applied to a catalogue already assigned.
 *
 * @param catalogue items holding an SID when the version was published
 * @param changed items whose SID the version changed (the assigners' {@code lastVersionChurn})
 * @param committedChanged of those, items whose new SID a read_committed consumer saw
 * @param secondsToAllCommitted publication of the version to the last changed SID visible; NaN if
 *     it did not finish within the phase timeout
 * @param checkpointsDuring checkpoints triggered in that window
 * @param newItemRate items/s published during it
 * @param newItemLatencies event-to-committed latency of those new items
 */
record ReencodeResult(
    long catalogue,
    long changed,
    long committedChanged,
    double secondsToAllCommitted,
    List<FlinkRest.Checkpoint> checkpointsDuring,
    double newItemRate,
    Percentiles newItemLatencies) {}
