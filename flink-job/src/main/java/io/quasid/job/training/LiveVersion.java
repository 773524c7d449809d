package io.quasid.job.training;

import io.quasid.model.Anchors;
import io.quasid.model.Placement;
import io.quasid.model.QuasidModel;
import io.quasid.model.TrainBatch;
import java.util.function.Supplier;

/**
 * The version the assigners encode with, as the trainer keeps it: its snapshot (what a rollback
 * returns to), the model restored from it only when the gate scores it or a step is anchored to it,
 * and what anchoring holds a step to.
 */
final class LiveVersion implements AutoCloseable {

  private final Placement placement;
  private byte[] snapshot;

  /** Restored lazily from {@link #snapshot}. */
  private QuasidModel model;

  /** The live codebooks and the codes that hold catalogue items; null until first anchored. */
  private float[][][] codebooks;

  private float[][] heldCodes;

  LiveVersion(Placement placement) {
    this.placement = placement;
  }

  /** The live snapshot, or null while no version is live. */
  byte[] snapshot() {
    return snapshot;
  }

  boolean isLive() {
    return snapshot != null;
  }

  QuasidModel model() {
    if (model == null) {
      model = QuasidModel.restore(snapshot, placement);
    }
    return model;
  }

  /**
   * Makes {@code newSnapshot} (null: none) the live version, dropping what derived from the old.
   */
  void replace(byte[] newSnapshot) {
    snapshot = newSnapshot;
    codebooks = null;
    heldCodes = null;
    close();
  }

  /**
   * What holds a step on {@code rows} to this version. The codes held are those of the catalogue
   * sample's items when first asked, kept until the version changes.
   */
  Anchors anchors(
      TrainBatch rows,
      float[] weights,
      Supplier<float[][]> catalogueSample,
      double latentWeight,
      double codebookWeight) {
    QuasidModel live = model();
    if (codebooks == null) {
      codebooks = live.codebooks();
      heldCodes = heldCodes(live, catalogueSample.get());
    }
    return new Anchors(
        live.latent(rows.vectors()),
        weights,
        (float) latentWeight,
        codebooks,
        heldCodes,
        (float) codebookWeight);
  }

  /** Codes that hold items of {@code sample} under the live version. */
  private static float[][] heldCodes(QuasidModel live, float[][] sample) {
    float[][] held = new float[live.levels()][live.codebookSize()];
    if (sample.length == 0) {
      return held;
    }
    for (int[] codes : live.encode(sample).codes()) {
      for (int l = 0; l < codes.length; l++) {
        held[l][codes[l]] = 1f;
      }
    }
    return held;
  }

  /** Frees the restored model; the snapshot stays. */
  @Override
  public void close() {
    if (model != null) {
      model.close();
      model = null;
    }
  }
}
