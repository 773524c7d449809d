package io.quasid.job.faults;

import io.quasid.job.QuasidStreamJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault injection for the outage scenario: the job's real {@link KafkaSink}s, whose committers do
 * not commit while a file exists. A TaskManager killed during that hold dies exactly where the
 * scenario needs it, after a checkpoint completed and before its pre-committed transactions were
 * committed; without the hold that window lasts milliseconds and a kill from outside rarely hits
 * it. Writer, writer state, committables and the commit itself are the connector's own.
 *
 * <p>A held committer logs {@link #HELD} with the transactional ids it holds, one line per commit
 * call, to its TaskManager's log: the scenario reads which transactions a kill left open there.
 */
final class CommitHold implements QuasidStreamJob.SinkDecorator {

  /** Marks the log line of a held commit; followed by the held transactional ids. */
  static final String HELD = "FAULT-SUITE commit held:";

  private final String holdFile;

  CommitHold(Path holdFile) {
    this.holdFile = holdFile.toString();
  }

  @Override
  public <T> Sink<T> decorate(KafkaSink<T> sink) {
    return new HeldSink<>(sink, holdFile);
  }

  /** The transactional ids the held commits in {@code logText} were for. */
  static List<String> heldTransactions(String logText) {
    return logText
        .lines()
        .filter(l -> l.contains(HELD))
        .flatMap(
            l -> List.of(l.substring(l.indexOf(HELD) + HELD.length()).trim().split(",")).stream())
        .map(String::trim)
        .filter(id -> !id.isEmpty())
        .distinct()
        .toList();
  }

  private static final class HeldSink<T>
      implements TwoPhaseCommittingStatefulSink<T, KafkaWriterState, KafkaCommittable>,
          SupportsPostCommitTopology<KafkaCommittable> {

    private static final long serialVersionUID = 1L;
    private final KafkaSink<T> sink;
    private final String holdFile;

    HeldSink(KafkaSink<T> sink, String holdFile) {
      this.sink = sink;
      this.holdFile = holdFile;
    }

    @Override
    public PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> createWriter(
        WriterInitContext context) throws IOException {
      return sink.createWriter(context);
    }

    @Override
    public PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> restoreWriter(
        WriterInitContext context, Collection<KafkaWriterState> recoveredState) throws IOException {
      return sink.restoreWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
      return sink.getWriterStateSerializer();
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context)
        throws IOException {
      return new HeldCommitter(sink.createCommitter(context), Path.of(holdFile));
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
      return sink.getCommittableSerializer();
    }

    @Override
    public void addPostCommitTopology(
        DataStream<CommittableMessage<KafkaCommittable>> committables) {
      sink.addPostCommitTopology(committables);
    }
  }

  private static final class HeldCommitter implements Committer<KafkaCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(CommitHold.class);
    private final Committer<KafkaCommittable> committer;
    private final Path holdFile;

    HeldCommitter(Committer<KafkaCommittable> committer, Path holdFile) {
      this.committer = committer;
      this.holdFile = holdFile;
    }

    @Override
    public void commit(Collection<CommitRequest<KafkaCommittable>> requests)
        throws IOException, InterruptedException {
      if (!requests.isEmpty() && Files.exists(holdFile)) {
        LOG.info(
            "{} {}",
            HELD,
            requests.stream()
                .map(r -> r.getCommittable().getTransactionalId())
                .collect(Collectors.joining(",")));
        while (Files.exists(holdFile)) {
          Thread.sleep(20);
        }
      }
      committer.commit(requests);
    }

    @Override
    public void close() throws Exception {
      committer.close();
    }
  }
}
