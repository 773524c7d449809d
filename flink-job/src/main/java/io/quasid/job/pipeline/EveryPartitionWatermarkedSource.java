package io.quasid.job.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A {@link KafkaSource} whose every assigned partition takes part in the watermark from the moment
 * it is assigned. Flink's reader creates a partition's watermark output only when the partition's
 * first records arrive, so a partition whose first fetch is slow (a loaded task manager, a
 * catch-up) held nothing back, and {@link TopicProgress} let the known-item gate dead-letter
 * interactions whose items were still in it (issue 27). This reader opens each split's output as
 * soon as the split is assigned, telling {@link TopicProgress} which partition and offset the
 * output is for. The splits, their serializer and the enumerator are the Kafka source's own: state
 * and savepoints are unchanged.
 */
public final class EveryPartitionWatermarkedSource<T>
    implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {

  private static final long serialVersionUID = 1L;

  private final KafkaSource<T> kafka;

  public EveryPartitionWatermarkedSource(KafkaSource<T> kafka) {
    this.kafka = kafka;
  }

  @Override
  public Boundedness getBoundedness() {
    return kafka.getBoundedness();
  }

  @Override
  public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context)
      throws Exception {
    return new Reader<>(kafka.createReader(context));
  }

  @Override
  public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
      SplitEnumeratorContext<KafkaPartitionSplit> context) {
    return kafka.createEnumerator(context);
  }

  @Override
  public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
      SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state)
      throws Exception {
    return kafka.restoreEnumerator(context, state);
  }

  @Override
  public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
    return kafka.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
    return kafka.getEnumeratorCheckpointSerializer();
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return kafka.getProducedType();
  }

  /** The Kafka reader, opening each newly assigned split's output before it next polls. */
  private static final class Reader<T> implements SourceReader<T, KafkaPartitionSplit> {
    private final SourceReader<T, KafkaPartitionSplit> kafka;
    private final List<KafkaPartitionSplit> toOpen = new ArrayList<>();

    Reader(SourceReader<T, KafkaPartitionSplit> kafka) {
      this.kafka = kafka;
    }

    @Override
    public void addSplits(List<KafkaPartitionSplit> splits) {
      toOpen.addAll(splits);
      kafka.addSplits(splits);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
      for (KafkaPartitionSplit split : toOpen) {
        TopicProgress.openingSplit(split, () -> output.createOutputForSplit(split.splitId()));
      }
      toOpen.clear();
      return kafka.pollNext(output);
    }

    @Override
    public void start() {
      kafka.start();
    }

    @Override
    public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
      return kafka.snapshotState(checkpointId);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      // A split still to open must reach pollNext even while the fetcher has nothing yet.
      return toOpen.isEmpty() ? kafka.isAvailable() : CompletableFuture.completedFuture(null);
    }

    @Override
    public void notifyNoMoreSplits() {
      kafka.notifyNoMoreSplits();
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
      kafka.handleSourceEvents(event);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      kafka.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
      kafka.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void pauseOrResumeSplits(
        Collection<String> splitsToPause, Collection<String> splitsToResume) {
      kafka.pauseOrResumeSplits(splitsToPause, splitsToResume);
    }

    @Override
    public void close() throws Exception {
      kafka.close();
    }
  }
}
