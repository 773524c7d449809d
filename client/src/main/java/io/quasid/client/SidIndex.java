package io.quasid.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The SID table without Kafka: applies batches of SID-topic records and answers lookups. {@link
 * SidTable} runs one behind a read_committed consumer; a service with its own consumer can feed one
 * directly. Not thread-safe.
 *
 * <p><b>Newest record wins.</b> A record is applied only when its revision is at least the item's
 * current one (the live record's, or the last tombstone's, which is remembered per deleted item);
 * on a tie the later record wins, since a job replaying after a failure under at-least-once
 * delivery may publish a revision again with another dedup suffix, and the replay's is the one its
 * state kept. Exact duplicates and records overtaken by a newer revision are counted as stale and
 * dropped, so the table is the same under at-least-once delivery with duplicates and reordering as
 * under exactly once. Revision 0 (writers older than the field) always applies: topic order
 * decides.
 *
 * <p><b>Version migrations</b> are derived from the records: a record whose {@code model_version}
 * is higher than that of the item's record in the table counts as re-encoded by that version, and
 * if its {@code previous_sid} is set and differs from its {@code sid}, as moved from {@code
 * previous_sid} to {@code sid}. What cannot be derived: items the job's churn policy kept, and
 * items whose codes did not change, get no record, so they are invisible here (the job's {@code
 * keptByChurnPolicy} metric and log line count them); a feature change of an item whose record
 * predates the version also counts under that version; a table that starts on a compacted topic
 * sees only each item's latest record, so migrations that compaction already folded are not seen.
 * The newest {@code retainedMigrationVersions} versions are kept.
 *
 * <p><b>Valid prefixes.</b> The live SIDs form a trie: code prefixes of length 1..L and the full
 * SID (code tuple plus dedup suffix), each with the number of live items under it. Every applied
 * batch reports its net {@link PrefixDelta}.
 */
public final class SidIndex {

  /** Versions of migration history kept unless told otherwise. */
  public static final int DEFAULT_RETAINED_MIGRATION_VERSIONS = 16;

  /** Everything a snapshot holds; the rest is derived on restore. */
  record State(
      long sequence,
      long staleDropped,
      List<SidRecord> live,
      Map<String, Long> deletedRevisions,
      List<VersionMigration> migrations) {}

  private static final class Migration {
    long reencoded;
    long moved;
    final Map<String, SidMove> moves = new LinkedHashMap<>();
  }

  private final int retainedMigrationVersions;
  private final Map<String, SidRecord> items = new HashMap<>();
  private final Map<String, Long> deletedRevisions = new HashMap<>();
  private final Map<String, Set<String>> bySid = new HashMap<>();
  private final PrefixTrie trie = new PrefixTrie();
  private final TreeMap<Long, Integer> liveVersions = new TreeMap<>();
  private final TreeMap<Long, Migration> migrations = new TreeMap<>();
  private long sequence;
  private long staleDropped;

  public SidIndex() {
    this(DEFAULT_RETAINED_MIGRATION_VERSIONS);
  }

  public SidIndex(int retainedMigrationVersions) {
    if (retainedMigrationVersions < 1) {
      throw new IllegalArgumentException(
          "retainedMigrationVersions must be at least 1, got " + retainedMigrationVersions);
    }
    this.retainedMigrationVersions = retainedMigrationVersions;
  }

  /** Applies {@code records} in order as one batch. */
  public SidBatch apply(List<SidTopicRecord> records) {
    PrefixTrie.DeltaRecorder delta = new PrefixTrie.DeltaRecorder();
    List<SidChange> changes = new ArrayList<>();
    Map<Long, List<SidMove>> newMoves = new TreeMap<>();
    int stale = 0;
    for (SidTopicRecord r : records) {
      SidRecord old = items.get(r.itemId());
      long known = old != null ? old.revision() : deletedRevisions.getOrDefault(r.itemId(), -1L);
      if (r.revision() < known && r.revision() != 0) {
        stale++;
        continue;
      }
      if (r.isTombstone()) {
        if (old == null && r.revision() == known) {
          stale++; // the same delete again
          continue;
        }
        deletedRevisions.put(r.itemId(), r.revision());
        if (old != null) {
          unindex(old, delta);
          items.remove(r.itemId());
          changes.add(new SidChange(SidChange.Kind.REMOVED, r.itemId(), old, null));
        }
        continue;
      }
      SidRecord now = r.value();
      if (now.equals(old) || resent(now, old)) {
        stale++;
        continue;
      }
      deletedRevisions.remove(r.itemId());
      if (old != null && now.modelVersion() > old.modelVersion()) {
        recordMigration(now, newMoves);
      }
      if (old != null) {
        unindex(old, delta);
      }
      index(now, delta);
      items.put(r.itemId(), now);
      SidChange.Kind kind =
          old == null
              ? SidChange.Kind.ASSIGNED
              : old.sid().equals(now.sid()) ? SidChange.Kind.UPDATED : SidChange.Kind.MOVED;
      changes.add(new SidChange(kind, r.itemId(), old, now));
    }
    staleDropped += stale;
    if (!changes.isEmpty()) {
      sequence++;
    }
    List<MigrationProgress> progress = new ArrayList<>();
    newMoves.forEach(
        (version, moves) -> {
          Migration m = migrations.get(version);
          if (m != null) {
            progress.add(new MigrationProgress(version, m.reencoded, m.moved, moves));
          }
        });
    return new SidBatch(sequence, changes, delta.build(sequence), progress, stale);
  }

  private void recordMigration(SidRecord now, Map<Long, List<SidMove>> newMoves) {
    long version = now.modelVersion();
    Migration m = migrations.get(version);
    if (m == null) {
      if (migrations.size() >= retainedMigrationVersions && version < migrations.firstKey()) {
        return; // older than every retained version: not tracked any more
      }
      m = new Migration();
      migrations.put(version, m);
      while (migrations.size() > retainedMigrationVersions) {
        migrations.pollFirstEntry();
      }
    }
    m.reencoded++;
    List<SidMove> batchMoves = newMoves.computeIfAbsent(version, v -> new ArrayList<>());
    if (now.previousSid() != null && !now.previousSid().equals(now.sid())) {
      SidMove move = new SidMove(version, now.itemId(), now.previousSid(), now.sid());
      m.moved++;
      m.moves.put(now.itemId(), move);
      batchMoves.add(move);
    }
  }

  private void index(SidRecord r, PrefixTrie.DeltaRecorder delta) {
    trie.add(r, delta);
    bySid.computeIfAbsent(r.sid(), s -> new LinkedHashSet<>(2)).add(r.itemId());
    liveVersions.merge(r.modelVersion(), 1, Integer::sum);
  }

  private void unindex(SidRecord r, PrefixTrie.DeltaRecorder delta) {
    trie.remove(r, delta);
    Set<String> holders = bySid.get(r.sid());
    holders.remove(r.itemId());
    if (holders.isEmpty()) {
      bySid.remove(r.sid());
    }
    liveVersions.computeIfPresent(r.modelVersion(), (v, n) -> n == 1 ? null : n - 1);
  }

  /** The item's live record. */
  public Optional<SidRecord> get(String itemId) {
    return Optional.ofNullable(items.get(itemId));
  }

  /** The item's live SID string. */
  public Optional<String> sidOf(String itemId) {
    return get(itemId).map(SidRecord::sid);
  }

  /**
   * The item holding {@code sid}. While a version is being applied two items can briefly share an
   * SID string (see the job README's limits); then this is the one whose record came last.
   */
  public Optional<String> itemOf(String sid) {
    Set<String> holders = bySid.get(sid);
    if (holders == null) {
      return Optional.empty();
    }
    String last = null;
    for (String h : holders) {
      last = h;
    }
    return Optional.of(last);
  }

  /** Every item holding {@code sid} (normally at most one). */
  public Set<String> itemsOf(String sid) {
    Set<String> holders = bySid.get(sid);
    return holders == null ? Set.of() : Set.copyOf(holders);
  }

  /** Live items whose code tuple starts with {@code codes} (1..L codes). */
  public Set<String> itemsWithPrefix(int... codes) {
    return itemsWithPrefix(CodePrefix.ofCodes(codes));
  }

  /** Live items under {@code prefix}: a code prefix, or a full SID. */
  public Set<String> itemsWithPrefix(CodePrefix prefix) {
    return Collections.unmodifiableSet(trie.items(prefix));
  }

  /** Number of live items. */
  public int size() {
    return items.size();
  }

  /** Every live record (a copy). */
  public List<SidRecord> records() {
    return new ArrayList<>(items.values());
  }

  /** Model version to the number of live items whose SID it produced, ascending. */
  public SortedMap<Long, Integer> liveVersions() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(liveVersions));
  }

  /** The newest model version among live SIDs; empty when the table is empty. */
  public OptionalLong newestLiveVersion() {
    return liveVersions.isEmpty() ? OptionalLong.empty() : OptionalLong.of(liveVersions.lastKey());
  }

  /** The migration of {@code version} as derived so far. */
  public Optional<VersionMigration> migration(long version) {
    Migration m = migrations.get(version);
    return m == null ? Optional.empty() : Optional.of(summary(version, m));
  }

  /** Every retained migration, ascending by version. */
  public List<VersionMigration> migrations() {
    List<VersionMigration> out = new ArrayList<>();
    migrations.forEach((v, m) -> out.add(summary(v, m)));
    return out;
  }

  private static VersionMigration summary(long version, Migration m) {
    return new VersionMigration(version, m.reencoded, m.moved, m.moves);
  }

  /** Every valid prefix as of {@link #sequence()}. */
  public ValidPrefixes validPrefixes() {
    return new ValidPrefixes(sequence, trie.counts().keySet());
  }

  /** Live items under {@code prefix} (its reference count in the trie); 0 when not valid. */
  public int prefixCount(CodePrefix prefix) {
    return trie.count(prefix);
  }

  /** For constrained decoding: the codes that may follow {@code prefix} (none: level 1). */
  public int[] nextCodes(int... prefix) {
    return trie.nextCodes(prefix);
  }

  /** For constrained decoding: the dedup suffixes live after the code tuple {@code codes}. */
  public int[] suffixes(int... codes) {
    return trie.suffixes(codes);
  }

  /** Batches that changed the table so far (0 for an empty one); deltas carry it. */
  public long sequence() {
    return sequence;
  }

  /** Records dropped as duplicates or overtaken by a newer revision. */
  public long staleDropped() {
    return staleDropped;
  }

  /** Every valid prefix with its reference count (tests compare it with a rebuilt trie). */
  Map<CodePrefix, Integer> prefixCounts() {
    return trie.counts();
  }

  State exportState() {
    return new State(
        sequence, staleDropped, records(), new HashMap<>(deletedRevisions), migrations());
  }

  /** An index holding {@code state}: live records re-indexed, the trie rebuilt. */
  static SidIndex restore(State state, int retainedMigrationVersions) {
    SidIndex index = new SidIndex(retainedMigrationVersions);
    PrefixTrie.DeltaRecorder ignored = new PrefixTrie.DeltaRecorder();
    for (SidRecord r : state.live()) {
      if (index.items.put(r.itemId(), r) != null) {
        throw new IllegalArgumentException("snapshot holds " + r.itemId() + " twice");
      }
      index.index(r, ignored);
    }
    index.deletedRevisions.putAll(state.deletedRevisions());
    for (VersionMigration vm : state.migrations()) {
      Migration m = new Migration();
      m.reencoded = vm.itemsReencoded();
      m.moved = vm.itemsMoved();
      m.moves.putAll(vm.moves());
      index.migrations.put(vm.version(), m);
    }
    while (index.migrations.size() > retainedMigrationVersions) {
      index.migrations.pollFirstEntry();
    }
    index.sequence = state.sequence();
    index.staleDropped = state.staleDropped();
    return index;
  }

  /** The same assignment sent again (a republish or a replay), its times aside. */
  private static boolean resent(SidRecord now, SidRecord old) {
    return old != null
        && now.revision() != 0
        && now.revision() == old.revision()
        && now.sid().equals(old.sid())
        && now.modelVersion() == old.modelVersion();
  }
}
