package io.quasid.job.training;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;

/**
 * The {@link TokenizerTrainer}'s operator state, under the names its savepoints know: everything a
 * restart needs to resume the same model, version and step, never from scratch.
 */
final class TrainerCheckpoint {

  private final ListState<byte[]> model;
  private final ListState<byte[]> live;
  private final ListState<TrainingExample> replay;
  private final ListState<TrainingExample> heldOut;
  private final ListState<TrainingExample> catalogue;
  private final ListState<TrainingExample> pending;
  private final ListState<TrainerProgress> progress;
  private final ListState<PendingExport> exports;

  TrainerCheckpoint(OperatorStateStore store) throws Exception {
    model = store.getListState(new ListStateDescriptor<>("trainer-model", byte[].class));
    live = store.getListState(new ListStateDescriptor<>("live-model", byte[].class));
    replay =
        store.getListState(new ListStateDescriptor<>("replay-examples", TrainingExample.class));
    heldOut =
        store.getListState(new ListStateDescriptor<>("held-out-items", TrainingExample.class));
    catalogue =
        store.getListState(new ListStateDescriptor<>("catalogue-items", TrainingExample.class));
    pending =
        store.getListState(new ListStateDescriptor<>("pending-examples", TrainingExample.class));
    progress =
        store.getListState(new ListStateDescriptor<>("trainer-progress", TrainerProgress.class));
    exports = store.getListState(new ListStateDescriptor<>("pending-exports", PendingExport.class));
  }

  /** The training model's snapshot, or null when none was checkpointed. */
  byte[] model() throws Exception {
    return first(model.get());
  }

  /** The live version's snapshot, or null when none was live. */
  byte[] live() throws Exception {
    return first(live.get());
  }

  TrainerProgress progress() throws Exception {
    return first(progress.get());
  }

  Iterable<PendingExport> exports() throws Exception {
    return exports.get();
  }

  /** Puts the checkpointed samples back into {@code samples}. */
  void restoreSamples(TrainingSamples samples, long replayOffered) throws Exception {
    samples.restore(
        list(replay.get()),
        replayOffered,
        list(heldOut.get()),
        list(catalogue.get()),
        list(pending.get()));
  }

  void update(
      byte[] modelSnapshot,
      byte[] liveSnapshot,
      TrainingSamples samples,
      TrainerProgress trainerProgress,
      List<PendingExport> pendingExports)
      throws Exception {
    model.update(List.of(modelSnapshot));
    live.update(liveSnapshot == null ? List.of() : List.of(liveSnapshot));
    replay.update(samples.replayContents());
    heldOut.update(samples.heldOutContents());
    catalogue.update(samples.catalogueContents());
    pending.update(samples.pendingContents());
    trainerProgress.replayOffered = samples.replayOffered();
    progress.update(List.of(trainerProgress));
    exports.update(pendingExports);
  }

  private static <T> T first(Iterable<T> values) {
    Iterator<T> it = values.iterator();
    return it.hasNext() ? it.next() : null;
  }

  private static <T> List<T> list(Iterable<T> values) {
    List<T> out = new ArrayList<>();
    values.forEach(out::add);
    return out;
  }
}
