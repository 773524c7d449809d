package io.quasid.bench.quality.generative;

import io.quasid.bench.quality.CodeTuple;
import java.util.HashMap;
import java.util.Map;

/**
 * The token layout of the generative recommender: item i is the {@code L + 1} tokens of its L codes
 * (level l's code c is token {@code FIRST_CODE + l*K + c}, so each level has its own range) and a
 * dedup token, its index among the items that share its code tuple in item-id order (as TIGER
 * appends one). The dedup token makes every item's token sequence unique, so decoding a sequence
 * names one item, and items that collide in their codes differ only in their last token.
 */
public final class SidVocabulary {

  /** Right padding of a batch; never attended to (causal mask) and never a target. */
  public static final int PAD = 0;

  /** Opens every sequence, so that an empty history still has a position to predict from. */
  public static final int BOS = 1;

  private static final int FIRST_CODE = 2;

  private final int levels;
  private final int codebookSize;
  private final int dedupTokens;
  private final int[][] itemTokens;
  private final Map<CodeTuple, Integer> itemsByTokens = new HashMap<>();

  /**
   * @param codes {@code [items][levels]}, codes in {@code [0, codebookSize)}
   */
  public SidVocabulary(int[][] codes, int codebookSize) {
    this.levels = codes[0].length;
    this.codebookSize = codebookSize;
    this.itemTokens = new int[codes.length][];
    Map<CodeTuple, Integer> bucketSizes = new HashMap<>();
    int largest = 0;
    for (int i = 0; i < codes.length; i++) {
      if (codes[i].length != levels) {
        throw new IllegalArgumentException("item " + i + " has " + codes[i].length + " levels");
      }
      int[] tokens = new int[levels + 1];
      for (int l = 0; l < levels; l++) {
        int c = codes[i][l];
        if (c < 0 || c >= codebookSize) {
          throw new IllegalArgumentException("code " + c + " of item " + i + " out of range");
        }
        tokens[l] = codeToken(l, c);
      }
      int dedup = bucketSizes.merge(new CodeTuple(codes[i]), 1, Integer::sum) - 1;
      largest = Math.max(largest, dedup + 1);
      tokens[levels] = FIRST_CODE + levels * codebookSize + dedup;
      itemTokens[i] = tokens;
      itemsByTokens.put(new CodeTuple(tokens), i);
    }
    this.dedupTokens = largest;
  }

  public int items() {
    return itemTokens.length;
  }

  public int levels() {
    return levels;
  }

  /** {@code L + 1}: the codes and the dedup token. */
  public int tokensPerItem() {
    return levels + 1;
  }

  /** Every token id is in {@code [0, size())}. */
  public int size() {
    return FIRST_CODE + levels * codebookSize + dedupTokens;
  }

  /** Dedup tokens in use: the largest number of items sharing one code tuple. */
  public int dedupTokens() {
    return dedupTokens;
  }

  public int codeToken(int level, int code) {
    return FIRST_CODE + level * codebookSize + code;
  }

  /** The item's token sequence (a copy). */
  public int[] tokens(int item) {
    return itemTokens[item].clone();
  }

  /** Token {@code position} of {@code item}, without copying. */
  public int token(int item, int position) {
    return itemTokens[item][position];
  }

  /** The item whose token sequence is {@code tokens}, or -1 for none. */
  public int item(int[] tokens) {
    return itemsByTokens.getOrDefault(new CodeTuple(tokens), -1);
  }
}
