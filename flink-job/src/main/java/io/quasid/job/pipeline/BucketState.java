package io.quasid.job.pipeline;

import java.util.Arrays;

/**
 * One SID bucket as {@link SidBucketAllocator} keeps it, in one keyed value: so a join or leave is
 * one state read and one write, where members in a map of their own and a separate count cost a
 * read and two writes per join (the allocator was the job's largest user of RocksDB per item:
 * streaming benchmark profile, 2026-12-07).
 *
 * <p>Up to {@link #INLINE_MEMBERS} members and {@link #INLINE_FREE} free suffixes live here; a
 * bucket that grows past them keeps the rest in the allocator's member map and free-suffix stack,
 * so a hot bucket (many items with one vector) is still a bounded value however large it grows.
 * Members beyond the inline ones number {@code count - members.length}.
 */
public class BucketState {

  /** Most members kept inline: most buckets of a catalogue hold one item, a few a handful. */
  static final int INLINE_MEMBERS = 8;

  /** Most free suffixes kept inline, where the smallest is reused first. */
  static final int INLINE_FREE = 32;

  private static final int[] NO_INTS = new int[0];
  private static final String[] NO_MEMBERS = new String[0];

  /** Members of the bucket, inline and spilled. */
  public int count;

  /** The next suffix never given out in this bucket. */
  public int highWater;

  /** Inline free suffixes, ascending. */
  public int[] free = NO_INTS;

  /** Free suffixes in the allocator's stack beyond the inline ones. */
  public int spilledFree;

  /** Inline members' item ids, and their suffixes at the same positions. */
  public String[] members = NO_MEMBERS;

  public int[] suffixes = NO_INTS;

  public BucketState() {}

  boolean hasSpilledMembers() {
    return count > members.length;
  }

  /** The suffix of {@code itemId} if it is an inline member, else -1. */
  int inlineSuffix(String itemId) {
    int at = indexOf(itemId);
    return at < 0 ? -1 : suffixes[at];
  }

  /** Adds a member inline if there is room; false if it must go to the spilled members. */
  boolean addInline(String itemId, int suffix) {
    if (members.length >= INLINE_MEMBERS) {
      return false;
    }
    members = Arrays.copyOf(members, members.length + 1);
    suffixes = Arrays.copyOf(suffixes, suffixes.length + 1);
    members[members.length - 1] = itemId;
    suffixes[suffixes.length - 1] = suffix;
    return true;
  }

  /** Removes an inline member and returns its suffix, or -1 if it is not inline. */
  int removeInline(String itemId) {
    int at = indexOf(itemId);
    if (at < 0) {
      return -1;
    }
    int suffix = suffixes[at];
    members = without(members, at);
    suffixes = without(suffixes, at);
    return suffix;
  }

  /** Takes the smallest inline free suffix, or returns -1 if none is inline. */
  int takeInlineFree() {
    if (free.length == 0) {
      return -1;
    }
    int suffix = free[0];
    free = Arrays.copyOfRange(free, 1, free.length);
    return suffix;
  }

  /** Frees {@code suffix} inline if there is room; false if it must be spilled. */
  boolean freeInline(int suffix) {
    int at = Arrays.binarySearch(free, suffix);
    if (at >= 0) {
      return true;
    }
    if (free.length >= INLINE_FREE) {
      return false;
    }
    int pos = -at - 1;
    int[] next = new int[free.length + 1];
    System.arraycopy(free, 0, next, 0, pos);
    next[pos] = suffix;
    System.arraycopy(free, pos, next, pos + 1, free.length - pos);
    free = next;
    return true;
  }

  private int indexOf(String itemId) {
    for (int i = 0; i < members.length; i++) {
      if (members[i].equals(itemId)) {
        return i;
      }
    }
    return -1;
  }

  private static String[] without(String[] a, int at) {
    String[] next = new String[a.length - 1];
    System.arraycopy(a, 0, next, 0, at);
    System.arraycopy(a, at + 1, next, at, a.length - at - 1);
    return next;
  }

  private static int[] without(int[] a, int at) {
    int[] next = new int[a.length - 1];
    System.arraycopy(a, 0, next, 0, at);
    System.arraycopy(a, at + 1, next, at, a.length - at - 1);
    return next;
  }
}
