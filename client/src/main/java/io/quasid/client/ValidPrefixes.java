package io.quasid.client;

import java.util.Set;

/**
 * Every valid prefix (code prefixes and full SIDs of live items) as of batch {@code sequence}: a
 * starting point for a decoding trie that then applies the {@link PrefixDelta}s with a larger
 * sequence number.
 */
public record ValidPrefixes(long sequence, Set<CodePrefix> prefixes) {

  public ValidPrefixes {
    prefixes = Set.copyOf(prefixes);
  }
}
