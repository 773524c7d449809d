package io.quasid.client;

import java.util.Arrays;

/**
 * A path in the SID prefix trie: the first 1..L codes of a code tuple ({@code 12-201}), or a full
 * SID, the code tuple plus its dedup suffix ({@code 12-201-7/0}), which is the last token a
 * TIGER-style decoder emits. The printable form is the SID format's.
 *
 * <p>Ordered by {@link #depth()} first, so a list sorted ascending lists every prefix after its
 * parent.
 */
public final class CodePrefix implements Comparable<CodePrefix> {

  private static final int NO_SUFFIX = -1;

  private final int[] codes;
  private final int suffix;

  private CodePrefix(int[] codes, int suffix) {
    if (codes.length == 0) {
      throw new IllegalArgumentException("a prefix has at least one code");
    }
    this.codes = codes;
    this.suffix = suffix;
  }

  /** The code prefix {@code codes} (one or more codes, no suffix). */
  public static CodePrefix ofCodes(int... codes) {
    return new CodePrefix(codes.clone(), NO_SUFFIX);
  }

  /** The full SID {@code codes/suffix}. */
  public static CodePrefix ofSid(int[] codes, int suffix) {
    if (suffix < 0) {
      throw new IllegalArgumentException("negative dedup suffix " + suffix);
    }
    return new CodePrefix(codes.clone(), suffix);
  }

  /** Parses {@code 12-201} (codes) or {@code 12-201-7/0} (a full SID). */
  public static CodePrefix parse(String text) {
    int slash = text.indexOf('/');
    String codePart = slash < 0 ? text : text.substring(0, slash);
    String[] parts = codePart.split("-", -1);
    int[] codes = new int[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        codes[i] = Integer.parseInt(parts[i]);
      }
      return slash < 0
          ? new CodePrefix(codes, NO_SUFFIX)
          : ofSid(codes, Integer.parseInt(text.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a code prefix or SID: '" + text + "'", e);
    }
  }

  /** The codes (a fresh array). */
  public int[] codes() {
    return codes.clone();
  }

  public int codeCount() {
    return codes.length;
  }

  public int code(int level) {
    return codes[level];
  }

  /** Whether this is a full SID (codes and dedup suffix). */
  public boolean isSid() {
    return suffix != NO_SUFFIX;
  }

  /** The dedup suffix of a full SID; -1 for a code prefix. */
  public int suffix() {
    return suffix;
  }

  /** Tokens on the path: the codes, plus one for the suffix of a full SID. */
  public int depth() {
    return codes.length + (isSid() ? 1 : 0);
  }

  /** The prefix one token shorter; null for a single code. */
  public CodePrefix parent() {
    if (isSid()) {
      return new CodePrefix(codes, NO_SUFFIX);
    }
    return codes.length == 1 ? null : new CodePrefix(Arrays.copyOf(codes, codes.length - 1), -1);
  }

  @Override
  public int compareTo(CodePrefix o) {
    int c = Integer.compare(depth(), o.depth());
    if (c != 0) {
      return c;
    }
    c = Arrays.compare(codes, o.codes);
    return c != 0 ? c : Integer.compare(suffix, o.suffix);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CodePrefix p && suffix == p.suffix && Arrays.equals(codes, p.codes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(codes) + suffix;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(codes.length * 4 + 3);
    for (int i = 0; i < codes.length; i++) {
      if (i > 0) {
        sb.append('-');
      }
      sb.append(codes[i]);
    }
    if (isSid()) {
      sb.append('/').append(suffix);
    }
    return sb.toString();
  }
}
