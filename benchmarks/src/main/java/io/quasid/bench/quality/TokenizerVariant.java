package io.quasid.bench.quality;

import io.quasid.model.QuasidConfig;

/** The ablation ladder of the issue: each loss term of the model-bridge tokenizer on or off. */
public enum TokenizerVariant {
  RQ_VAE("RQ-VAE", true, false, false, false),
  RQ_VAE_CONTRASTIVE("RQ-VAE + contrastive", true, true, false, false),
  RQ_VAE_REPULSION_UNMASKED("RQ-VAE + repulsion, no masking", true, false, true, false),
  QUASID("QuaSID (full)", true, true, true, true),
  /**
   * Residual k-means on the input vectors (model-bridge's ResidualKMeans), no gradient training.
   */
  RQ_KMEANS("RQ-KMeans (no training)", false, false, false, false);

  private final String label;
  private final boolean trained;
  private final boolean contrastive;
  private final boolean repulsion;
  private final boolean masking;

  TokenizerVariant(
      String label, boolean trained, boolean contrastive, boolean repulsion, boolean masking) {
    this.label = label;
    this.trained = trained;
    this.contrastive = contrastive;
    this.repulsion = repulsion;
    this.masking = masking;
  }

  public String label() {
    return label;
  }

  public boolean trained() {
    return trained;
  }

  /** Applies the variant's switches on top of the shared budget. */
  public QuasidConfig configure(QuasidConfig base) {
    return base.toBuilder().contrastive(contrastive).repulsion(repulsion).masking(masking).build();
  }
}
