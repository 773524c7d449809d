package io.quasid.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trie of live SIDs: one node per code prefix, with the number of live items under it (its
 * reference count), and at the end of each code tuple the dedup suffixes in use with their items. A
 * node exists exactly while its count is positive, so the node set is the set of valid prefixes.
 * Not thread-safe.
 */
final class PrefixTrie {

  private static final class Node {
    int count;
    final Map<Integer, Node> children = new HashMap<>(4);

    /** Dedup suffix to the items holding {@code codes/suffix}; usually one item. */
    final Map<Integer, Set<String>> sids = new HashMap<>(2);
  }

  /** Collects the net prefix transitions of a batch. */
  static final class DeltaRecorder {
    private final Map<CodePrefix, Boolean> net = new LinkedHashMap<>();

    void added(CodePrefix p) {
      if (net.get(p) == Boolean.FALSE) {
        net.remove(p);
      } else {
        net.put(p, true);
      }
    }

    void removed(CodePrefix p) {
      if (net.get(p) == Boolean.TRUE) {
        net.remove(p);
      } else {
        net.put(p, false);
      }
    }

    PrefixDelta build(long sequence) {
      List<CodePrefix> added = new ArrayList<>();
      List<CodePrefix> removed = new ArrayList<>();
      net.forEach((p, add) -> (add ? added : removed).add(p));
      added.sort(Comparator.naturalOrder());
      removed.sort(Comparator.reverseOrder());
      return new PrefixDelta(sequence, added, removed);
    }
  }

  private final Node root = new Node();

  /** A trie built from scratch from {@code records}. */
  static PrefixTrie of(Collection<SidRecord> records) {
    PrefixTrie trie = new PrefixTrie();
    DeltaRecorder ignored = new DeltaRecorder();
    for (SidRecord r : records) {
      trie.add(r, ignored);
    }
    return trie;
  }

  void add(SidRecord r, DeltaRecorder delta) {
    int[] codes = r.codeArray();
    Node node = root;
    node.count++;
    for (int level = 0; level < codes.length; level++) {
      Node child = node.children.computeIfAbsent(codes[level], c -> new Node());
      if (child.count++ == 0) {
        delta.added(CodePrefix.ofCodes(Arrays.copyOf(codes, level + 1)));
      }
      node = child;
    }
    Set<String> holders = node.sids.computeIfAbsent(r.dedupSuffix(), s -> new LinkedHashSet<>(2));
    if (holders.isEmpty()) {
      delta.added(CodePrefix.ofSid(codes, r.dedupSuffix()));
    }
    if (!holders.add(r.itemId())) {
      throw new IllegalStateException(r.itemId() + " is already at " + r.sid());
    }
  }

  void remove(SidRecord r, DeltaRecorder delta) {
    int[] codes = r.codeArray();
    Node[] path = new Node[codes.length + 1];
    path[0] = root;
    for (int level = 0; level < codes.length; level++) {
      path[level + 1] = path[level].children.get(codes[level]);
      if (path[level + 1] == null) {
        throw new IllegalStateException(r.itemId() + " is not at " + r.sid());
      }
    }
    Node end = path[codes.length];
    Set<String> holders = end.sids.get(r.dedupSuffix());
    if (holders == null || !holders.remove(r.itemId())) {
      throw new IllegalStateException(r.itemId() + " is not at " + r.sid());
    }
    if (holders.isEmpty()) {
      end.sids.remove(r.dedupSuffix());
      delta.removed(CodePrefix.ofSid(codes, r.dedupSuffix()));
    }
    root.count--;
    for (int level = codes.length - 1; level >= 0; level--) {
      Node child = path[level + 1];
      if (--child.count == 0) {
        path[level].children.remove(codes[level]);
        delta.removed(CodePrefix.ofCodes(Arrays.copyOf(codes, level + 1)));
      }
    }
  }

  /** Live items in the trie. */
  int size() {
    return root.count;
  }

  /** Live items under {@code p}: its reference count; 0 when it is not valid. */
  int count(CodePrefix p) {
    Node node = find(p.codes());
    if (node == null) {
      return 0;
    }
    if (!p.isSid()) {
      return node.count;
    }
    Set<String> holders = node.sids.get(p.suffix());
    return holders == null ? 0 : holders.size();
  }

  /** The codes that may follow {@code prefix} (empty prefix: the first level), ascending. */
  int[] nextCodes(int... prefix) {
    Node node = find(prefix);
    return node == null
        ? new int[0]
        : node.children.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  /** The dedup suffixes in use after the code tuple {@code codes}, ascending. */
  int[] suffixes(int... codes) {
    Node node = find(codes);
    return node == null
        ? new int[0]
        : node.sids.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  /** The live items whose SID starts with {@code p} (or is {@code p}, for a full SID). */
  Set<String> items(CodePrefix p) {
    Node node = find(p.codes());
    Set<String> out = new LinkedHashSet<>();
    if (node == null) {
      return out;
    }
    if (p.isSid()) {
      out.addAll(node.sids.getOrDefault(p.suffix(), Set.of()));
    } else {
      collect(node, out);
    }
    return out;
  }

  /** Every valid prefix, with its reference count. */
  Map<CodePrefix, Integer> counts() {
    Map<CodePrefix, Integer> out = new HashMap<>();
    walk(root, new int[0], out);
    return out;
  }

  private static void walk(Node node, int[] codes, Map<CodePrefix, Integer> out) {
    if (codes.length > 0) {
      out.put(CodePrefix.ofCodes(codes), node.count);
    }
    node.sids.forEach(
        (suffix, holders) -> out.put(CodePrefix.ofSid(codes, suffix), holders.size()));
    node.children.forEach(
        (code, child) -> {
          int[] next = Arrays.copyOf(codes, codes.length + 1);
          next[codes.length] = code;
          walk(child, next, out);
        });
  }

  private static void collect(Node node, Set<String> out) {
    node.sids.values().forEach(out::addAll);
    node.children.values().forEach(child -> collect(child, out));
  }

  private Node find(int[] codes) {
    Node node = root;
    for (int code : codes) {
      node = node.children.get(code);
      if (node == null) {
        return null;
      }
    }
    return node;
  }
}
