package io.quasid.bench.quality.generative;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prefix tree of the catalogue's token sequences ({@link SidVocabulary}): a node is a valid prefix,
 * its children the tokens that continue it, and a leaf (depth {@code L + 1}) is one item. Decoding
 * that follows only children can emit nothing but catalogue items.
 */
public final class SidTrie {

  private static final int ROOT = 0;

  private final int depth;
  private final int[][] childTokens;
  private final int[][] childNodes;
  private final int[] leafItems;

  public SidTrie(SidVocabulary vocabulary) {
    this.depth = vocabulary.tokensPerItem();
    List<Map<Integer, Integer>> edges = new ArrayList<>();
    List<Integer> leaves = new ArrayList<>();
    edges.add(new HashMap<>());
    leaves.add(-1);
    for (int item = 0; item < vocabulary.items(); item++) {
      int node = ROOT;
      for (int p = 0; p < depth; p++) {
        int token = vocabulary.token(item, p);
        Integer next = edges.get(node).get(token);
        if (next == null) {
          next = edges.size();
          edges.get(node).put(token, next);
          edges.add(new HashMap<>());
          leaves.add(-1);
        }
        node = next;
      }
      leaves.set(node, item);
    }
    int nodes = edges.size();
    this.childTokens = new int[nodes][];
    this.childNodes = new int[nodes][];
    this.leafItems = leaves.stream().mapToInt(Integer::intValue).toArray();
    for (int n = 0; n < nodes; n++) {
      int[] tokens = edges.get(n).keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
      childTokens[n] = tokens;
      childNodes[n] = new int[tokens.length];
      for (int c = 0; c < tokens.length; c++) {
        childNodes[n][c] = edges.get(n).get(tokens[c]);
      }
    }
  }

  public int root() {
    return ROOT;
  }

  /** Tokens per item: a node at this depth is a leaf. */
  public int depth() {
    return depth;
  }

  /** The tokens that continue the prefix {@code node}, ascending; empty at a leaf. */
  public int[] nextTokens(int node) {
    return childTokens[node];
  }

  /** The node after {@code token}, or -1 where {@code token} does not continue the prefix. */
  public int child(int node, int token) {
    int c = Arrays.binarySearch(childTokens[node], token);
    return c < 0 ? -1 : childNodes[node][c];
  }

  /** The node of the {@code c}-th token of {@link #nextTokens}. */
  public int childAt(int node, int c) {
    return childNodes[node][c];
  }

  /** The item a leaf stands for; -1 for an inner node. */
  public int item(int node) {
    return leafItems[node];
  }
}
