package io.quasid.bench.quality;

import io.quasid.model.QuasidConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The training recipe every tokenizer variant of a run shares, beyond its budget: the loss
 * reduction, the residual gradient path, the codebooks' rate and re-seeding, and which point of
 * training gives the codes. The defaults are the job's; {@code quality-recipe-differences.md} lists
 * what the reference implementation (CollisionGenRec) uses instead.
 *
 * @param lossScale how reconstruction and quantisation are reduced ({@link QuasidConfig.LossScale})
 * @param detachDeepResiduals only level 1's commitment reaches the encoder
 * @param codebookLearningRate Adam step size of the codebooks
 * @param deadCodeSteps re-seed a code unused this many steps; 0 = never
 * @param checkpoint which evaluated point's codes the run keeps
 * @param contrastiveNegatives what a collaborative pair is contrasted against
 * @param pairSource which collaborative pairs the batches carry
 */
public record TokenizerRecipe(
    QuasidConfig.LossScale lossScale,
    boolean detachDeepResiduals,
    float codebookLearningRate,
    int deadCodeSteps,
    Checkpoint checkpoint,
    QuasidConfig.ContrastiveNegatives contrastiveNegatives,
    PairSource pairSource) {

  /** Which collaborative pairs the training batches carry. */
  public enum PairSource {
    /** Consecutive distinct items of a training prefix, as often as they occur (the job's). */
    ADJACENT,
    /**
     * Each item's partner of highest PPMI within {@link PpmiPairs#REFERENCE_WINDOW} positions, once
     * per item: the reference implementation's contrastive positive.
     */
    PPMI,
    /**
     * Both, each about half of the sampled pairs: the PPMI pairs repeated to the adjacent count.
     */
    MIXED;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** This source's pairs from the split's training prefixes. */
    int[][] pairs(LeaveOneOutSplit split) {
      return switch (this) {
        case ADJACENT -> TokenizerBatches.collaborativePairs(split);
        case PPMI -> PpmiPairs.argmaxPairs(split, PpmiPairs.REFERENCE_WINDOW);
        case MIXED -> {
          int[][] adjacent = TokenizerBatches.collaborativePairs(split);
          int[][] ppmi = PpmiPairs.argmaxPairs(split, PpmiPairs.REFERENCE_WINDOW);
          int copies = Math.max(1, Math.round((float) adjacent.length / Math.max(1, ppmi.length)));
          int[][] both = Arrays.copyOf(adjacent, adjacent.length + copies * ppmi.length);
          for (int c = 0; c < copies; c++) {
            System.arraycopy(ppmi, 0, both, adjacent.length + c * ppmi.length, ppmi.length);
          }
          yield both;
        }
      };
    }
  }

  /** Which codes a training run hands on. */
  public enum Checkpoint {
    /** The last step's. */
    LAST,
    /**
     * Those of the evaluated step (every {@code --eval-every}, step 0 excluded) with the lowest
     * catalogue collision rate, the earliest on ties: the published indexes' rule.
     */
    MIN_COLLISION;

    String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The job's recipe. */
  public static final TokenizerRecipe DEFAULT = of(QuasidConfig.builder(1).build());

  public TokenizerRecipe {
    if (!(codebookLearningRate > 0) || !Float.isFinite(codebookLearningRate)) {
      throw new IllegalArgumentException("the codebook learning rate must be > 0");
    }
    if (deadCodeSteps < 0) {
      throw new IllegalArgumentException("dead-code steps must be >= 0 (0 = never)");
    }
  }

  private static TokenizerRecipe of(QuasidConfig c) {
    return new TokenizerRecipe(
        c.lossScale(),
        c.detachDeepResiduals(),
        c.codebookLearningRate(),
        c.deadCodeSteps(),
        Checkpoint.LAST,
        c.contrastiveNegatives(),
        PairSource.ADJACENT);
  }

  /** {@code base} trained with this recipe. */
  QuasidConfig apply(QuasidConfig base) {
    return base.toBuilder()
        .lossScale(lossScale)
        .detachDeepResiduals(detachDeepResiduals)
        .codebookLearningRate(codebookLearningRate)
        .deadCodeSteps(deadCodeSteps)
        .contrastiveNegatives(contrastiveNegatives)
        .build();
  }

  /** The flags that set what differs from {@link #DEFAULT}, for the report's command line. */
  List<String> flags() {
    List<String> f = new ArrayList<>();
    if (lossScale != DEFAULT.lossScale) {
      f.add("--loss-scale " + lossScale.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    if (detachDeepResiduals) {
      f.add("--detach-deep-residuals");
    }
    if (codebookLearningRate != DEFAULT.codebookLearningRate) {
      f.add("--tokenizer-codebook-lr " + codebookLearningRate);
    }
    if (deadCodeSteps != DEFAULT.deadCodeSteps) {
      f.add("--dead-code-steps " + deadCodeSteps);
    }
    if (checkpoint != DEFAULT.checkpoint) {
      f.add("--checkpoint " + checkpoint.key());
    }
    if (contrastiveNegatives != DEFAULT.contrastiveNegatives) {
      f.add("--contrastive-negatives " + contrastiveNegatives.name().toLowerCase(Locale.ROOT));
    }
    if (pairSource != DEFAULT.pairSource) {
      f.add("--pairs " + pairSource.key());
    }
    return f;
  }

  /** One sentence for the report's setup. */
  String describe() {
    return String.format(
        Locale.ROOT,
        "losses reduced %s, %s, codebooks at lr %s %s, %s contrasted against %s, codes of %s",
        lossScale == QuasidConfig.LossScale.ROW_SUM
            ? "per row (summed over dimensions; levels summed)"
            : "per element (mean over rows and dimensions; levels averaged)",
        detachDeepResiduals
            ? "only level 1's commitment on the encoder"
            : "every level's commitment on the encoder",
        Float.toString(codebookLearningRate),
        deadCodeSteps == 0
            ? "never re-seeded"
            : "re-seeded after " + deadCodeSteps + " unused steps",
        pairSource == PairSource.ADJACENT
            ? "adjacent pairs"
            : "each item's highest-PPMI partner (window " + PpmiPairs.REFERENCE_WINDOW + ")",
        contrastiveNegatives == QuasidConfig.ContrastiveNegatives.PAIRS
            ? "the batch's other pairs"
            : "every other item of the batch",
        checkpoint == Checkpoint.LAST
            ? "the last step"
            : "the evaluated step with the lowest catalogue collision rate");
  }
}
