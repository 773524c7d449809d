package io.quasid.job.types;

/**
 * A published tokenizer version, broadcast from the trainer to the SID assigner. The snapshot bytes
 * come from {@code QuasidModel.inferenceSnapshot()} (encoder and codebooks only; no decoder or
 * optimizer state) and restore with {@code QuasidModel.restore}.
 */
public class ModelUpdate {
  public long version;
  public long step;
  public byte[] snapshot;

  /** Wall-clock time the version was published, epoch millis. */
  public long publishedAt;

  /** Collision rate of this version on the trainer's held-out reservoir (quality gate input). */
  public double heldOutCollisionRate;

  public ModelUpdate() {}

  public ModelUpdate(
      long version, long step, byte[] snapshot, long publishedAt, double heldOutCollisionRate) {
    this.version = version;
    this.step = step;
    this.snapshot = snapshot;
    this.publishedAt = publishedAt;
    this.heldOutCollisionRate = heldOutCollisionRate;
  }

  @Override
  public String toString() {
    return "ModelUpdate{v" + version + ", step " + step + ", " + snapshot.length + " bytes}";
  }
}
