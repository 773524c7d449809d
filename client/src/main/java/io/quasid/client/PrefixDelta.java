package io.quasid.client;

import java.util.List;

/**
 * How the set of valid prefixes changed in one applied batch: the net change (a prefix that came
 * and went within the batch is in neither list). Applying {@code removed} (deepest first) and then
 * {@code added} (shallowest first, every parent before its children) to the set of {@link
 * #sequence()} - 1 gives the set of {@code sequence}; a decoding trie can apply them node by node.
 *
 * @param sequence the batch's sequence number (see {@link SidIndex#sequence()})
 * @param added prefixes that became valid, ascending by depth
 * @param removed prefixes that stopped being valid, descending by depth
 */
public record PrefixDelta(long sequence, List<CodePrefix> added, List<CodePrefix> removed) {

  public PrefixDelta {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty();
  }
}
