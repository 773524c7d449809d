package io.quasid.bench.quality;

import io.quasid.model.QuasidConfig;
import java.util.List;

/**
 * The ablation ladder of issues 5 and 13: each loss term of the model-bridge tokenizer on or off,
 * and the valid-pair mask as the method defines it (same item, batch positives) or with the
 * optional same-group mask added.
 */
public enum TokenizerVariant {
  RQ_VAE("RQ-VAE", true, false, false, true, false),
  RQ_VAE_REPULSION("RQ-VAE + repulsion", true, false, true, true, false),
  RQ_VAE_CONTRASTIVE("RQ-VAE + contrastive", true, true, false, true, false),
  QUASID("QuaSID (full)", true, true, true, true, false),
  QUASID_GROUP_MASK("QuaSID (full, + group mask)", true, true, true, true, true),
  /** Repulsion over every pair of distinct rows, even two rows of one item (issue 5's ablation). */
  RQ_VAE_REPULSION_UNMASKED("RQ-VAE + repulsion, no masking", true, false, true, false, false),
  /**
   * Residual k-means on the input vectors (model-bridge's ResidualKMeans), no gradient training.
   */
  RQ_KMEANS("RQ-KMeans (no training)", false, false, false, true, false);

  /** The rows issue 13 asks for, in report order. */
  public static final List<TokenizerVariant> DEFAULT =
      List.of(RQ_VAE, RQ_VAE_REPULSION, RQ_VAE_CONTRASTIVE, QUASID, QUASID_GROUP_MASK, RQ_KMEANS);

  private final String label;
  private final boolean trained;
  private final boolean contrastive;
  private final boolean repulsion;
  private final boolean masking;
  private final boolean groupMask;

  TokenizerVariant(
      String label,
      boolean trained,
      boolean contrastive,
      boolean repulsion,
      boolean masking,
      boolean groupMask) {
    this.label = label;
    this.trained = trained;
    this.contrastive = contrastive;
    this.repulsion = repulsion;
    this.masking = masking;
    this.groupMask = groupMask;
  }

  public String label() {
    return label;
  }

  public boolean trained() {
    return trained;
  }

  public boolean repulsion() {
    return repulsion;
  }

  /** Applies the variant's switches on top of the shared budget. */
  public QuasidConfig configure(QuasidConfig base) {
    return base.toBuilder()
        .contrastive(contrastive)
        .repulsion(repulsion)
        .masking(masking)
        .maskSameGroup(groupMask)
        .build();
  }

  /** {@code rq-vae}, {@code quasid-group-mask}, ...: for {@code --variants}. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public static TokenizerVariant byKey(String key) {
    for (TokenizerVariant v : values()) {
      if (v.key().equals(key)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown variant " + key + "; one of " + keys());
  }

  public static String keys() {
    return String.join(", ", java.util.Arrays.stream(values()).map(TokenizerVariant::key).toList());
  }
}
