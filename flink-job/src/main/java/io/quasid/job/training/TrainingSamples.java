package io.quasid.job.training;

import java.util.ArrayList;
import java.util.List;

/**
 * What the {@link TokenizerTrainer} trains on and measures with: the new rows waiting for the next
 * step, the replay reservoir of past examples, the catalogue sample each batch draws from so that
 * the long tail is trained too, and the quality gate's evaluation sample.
 *
 * <p>Which items make the two item samples is decided by id hashes keyed with {@code
 * training.secret} ({@link TrainingOptions#idDrawSeed()}), so publishers cannot pick ids that
 * always get in.
 */
final class TrainingSamples {

  private static final long HELD_OUT_SALT = 0x4E1D0L;
  private static final long CATALOGUE_SALT = 0xCA7A1L;

  private final TrainingOptions options;

  /** Hashed from training.secret once: every item example asks whether it is held out. */
  private final long idDrawSeed;

  private final ReplayBuffer replay;
  private final ItemReservoir heldOut;
  private final ItemReservoir catalogue;
  private final List<TrainingExample> pending = new ArrayList<>();
  private int pendingRows;

  TrainingSamples(TrainingOptions options) {
    this.options = options;
    this.replay = new ReplayBuffer(options.replayCapacity(), options.seed());
    this.idDrawSeed = options.idDrawSeed();
    this.heldOut = new ItemReservoir(options.heldOutCapacity(), idDrawSeed);
    this.catalogue = new ItemReservoir(options.catalogueCapacity(), idDrawSeed ^ CATALOGUE_SALT);
  }

  /** Puts back what {@link TrainerCheckpoint} kept of the samples. */
  void restore(
      List<TrainingExample> replayed,
      long replayOffered,
      List<TrainingExample> heldOutItems,
      List<TrainingExample> catalogueItems,
      List<TrainingExample> pendingExamples) {
    replay.restore(replayed, replayOffered);
    heldOut.restore(heldOutItems);
    catalogue.restore(catalogueItems);
    pendingExamples.forEach(this::addPending);
  }

  /** A deleted item leaves both item samples. */
  void remove(String itemId) {
    catalogue.remove(itemId);
    heldOut.remove(itemId);
  }

  /** Offers an item (not a pair) to the catalogue sample and, if its id is drawn, the gate's. */
  void offerItem(TrainingExample item) {
    catalogue.offer(item);
    if (isHeldOut(item.itemId)) {
      // The gate's sample is trained like every other item: collisions are a catalogue-wide
      // property, and a sample kept out of training was measured at 0.08% while the Beauty
      // catalogue it was meant to represent stood at 3.35%.
      heldOut.offer(item);
    }
  }

  private boolean isHeldOut(String itemId) {
    return SeededDraws.uniform(idDrawSeed, HELD_OUT_SALT, SeededDraws.idHash(itemId))
        < options.heldOutFraction();
  }

  /** Before the codebooks exist, every example only fills the replay reservoir. */
  void offerToReplay(TrainingExample example) {
    replay.offer(example);
  }

  int replayRows() {
    return replay.rows();
  }

  float[][] replayVectors() {
    return replay.vectors();
  }

  void addPending(TrainingExample example) {
    pending.add(example);
    pendingRows += example.rows();
  }

  int pendingExamples() {
    return pending.size();
  }

  int pendingRows() {
    return pendingRows;
  }

  /**
   * The next step's batch: the pending rows, {@code catalogue-share} of the batch from the
   * catalogue sample, and replay samples up to {@code batch-size}; {@code draw} distinguishes
   * successive batches.
   */
  List<TrainingExample> batch(long draw) {
    List<TrainingExample> batch = new ArrayList<>(pending);
    List<TrainingExample> coverage = catalogue.sample(options.catalogueRowsPerStep(), draw);
    batch.addAll(coverage);
    batch.addAll(replay.sample(options.batchSize() - pendingRows - coverage.size(), draw));
    return batch;
  }

  /** The pending rows enter the replay reservoir (trained, or deferred to replay-only steps). */
  void pendingToReplay() {
    pending.forEach(replay::offer);
    dropPending();
  }

  void dropPending() {
    pending.clear();
    pendingRows = 0;
  }

  /** Up to {@code limit} co-engagement pairs of the replay reservoir, for the gate. */
  List<TrainingExample> replayedPairs(int limit) {
    return replay.contents().stream().filter(TrainingExample::isPair).limit(limit).toList();
  }

  float[][] heldOutVectors() {
    return heldOut.vectors();
  }

  float[][] catalogueVectors() {
    return catalogue.vectors();
  }

  List<TrainingExample> replayContents() {
    return replay.contents();
  }

  long replayOffered() {
    return replay.offered();
  }

  List<TrainingExample> heldOutContents() {
    return heldOut.contents();
  }

  List<TrainingExample> catalogueContents() {
    return catalogue.contents();
  }

  List<TrainingExample> pendingContents() {
    return new ArrayList<>(pending);
  }

  double replayFill() {
    return (double) replay.size() / replay.capacity();
  }

  int replaySize() {
    return replay.size();
  }

  int heldOutSize() {
    return heldOut.size();
  }

  int catalogueSize() {
    return catalogue.size();
  }
}
