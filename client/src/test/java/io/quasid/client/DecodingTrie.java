package io.quasid.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a serving system keeps for constrained decoding: a trie of valid prefixes maintained only
 * from {@link PrefixDelta}s. It applies them node by node and fails on any delta that does not fit
 * (adding a node twice or below a missing parent, removing a missing node or one with children).
 */
final class DecodingTrie {

  private static final class Node {
    final Map<Integer, Node> children = new HashMap<>();
    final Set<Integer> suffixes = new HashSet<>();
  }

  private final Node root = new Node();
  private long sequence;

  DecodingTrie() {}

  /** Starts from a table's valid prefixes. */
  DecodingTrie(ValidPrefixes start) {
    sequence = start.sequence();
    start.prefixes().stream().sorted().forEach(this::add);
  }

  void apply(PrefixDelta delta) {
    if (delta.sequence() <= sequence) {
      return; // already in the starting set
    }
    // Batches that changed no prefix have no delta to apply, so sequence numbers may skip.
    sequence = delta.sequence();
    delta.removed().forEach(this::remove);
    delta.added().forEach(this::add);
  }

  long sequence() {
    return sequence;
  }

  private void add(CodePrefix p) {
    Node parent =
        node(p.isSid() ? p.codes() : p.parent() == null ? new int[0] : p.parent().codes());
    assertThat(parent).as("parent of added %s", p).isNotNull();
    if (p.isSid()) {
      assertThat(parent.suffixes.add(p.suffix())).as("added %s twice", p).isTrue();
    } else {
      assertThat(parent.children.putIfAbsent(p.code(p.codeCount() - 1), new Node()))
          .as("added %s twice", p)
          .isNull();
    }
  }

  private void remove(CodePrefix p) {
    Node parent =
        node(p.isSid() ? p.codes() : p.parent() == null ? new int[0] : p.parent().codes());
    assertThat(parent).as("parent of removed %s", p).isNotNull();
    if (p.isSid()) {
      assertThat(parent.suffixes.remove(p.suffix())).as("removed missing %s", p).isTrue();
    } else {
      Node n = parent.children.remove(p.code(p.codeCount() - 1));
      assertThat(n).as("removed missing %s", p).isNotNull();
      assertThat(n.children.isEmpty() && n.suffixes.isEmpty())
          .as("removed %s before its children", p)
          .isTrue();
    }
  }

  private Node node(int[] codes) {
    Node n = root;
    for (int c : codes) {
      n = n.children.get(c);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  /** Every prefix in the trie. */
  Set<CodePrefix> prefixes() {
    Set<CodePrefix> out = new HashSet<>();
    walk(root, new int[0], out);
    return out;
  }

  private static void walk(Node n, int[] codes, Set<CodePrefix> out) {
    if (codes.length > 0) {
      out.add(CodePrefix.ofCodes(codes));
    }
    n.suffixes.forEach(s -> out.add(CodePrefix.ofSid(codes, s)));
    n.children.forEach(
        (c, child) -> {
          int[] next = Arrays.copyOf(codes, codes.length + 1);
          next[codes.length] = c;
          walk(child, next, out);
        });
  }
}
