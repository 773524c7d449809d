package io.quasid.job.faults;

import io.quasid.client.SidIndex;
import io.quasid.client.SidRecord;
import io.quasid.client.SidTopicRecord;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.DeadLetter;
import io.quasid.schemas.SidAssignment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The verdict of one scenario, from every committed record of the SID and dead-letter topics
 * against the {@link Traffic} ledger:
 *
 * <ul>
 *   <li><b>lost</b>: live items whose latest committed value is missing or a tombstone, plus
 *       deleted items whose latest value is not a tombstone;
 *   <li><b>duplicates</b>: committed assignments repeating an (item, revision) already committed
 *       (when the schema has a {@code revision} field), plus breaks of an item's chain: each
 *       assignment's {@code previous_sid} must be the SID of the item's committed record before it
 *       (null after a tombstone), which a replayed or lost assignment breaks;
 *   <li><b>version regressions</b>: an item's committed model version going down (lost broadcast
 *       state or a stale model after restore);
 *   <li><b>SID collisions</b>: final SIDs held by more than one live item;
 *   <li>under {@code sink.sid-delivery=at-least-once} duplicates are expected and counted, not
 *       failed; lost items and collisions are then judged on the table a consumer keeping the
 *       newest revision holds ({@link #consumerView}), not on the last record per key;
 *   <li>dead letters: every rejected input record exactly once, by (topic, partition, offset);
 *       derived training-pair rejections (offset -1) are counted apart; interactions the ledger
 *       judges <i>either</i> ({@link Traffic#either()}) are neither missing nor unexpected, but
 *       still at most once;
 *   <li>after a republish request (from {@code resentFrom}), an assignment committed again
 *       unchanged (same item, revision and SID as the item's last committed one) is the repair,
 *       counted in the note, not a duplicate;
 *   <li>an assignment whose {@code previous_sid} is the SID of the item's latest revision before
 *       it, when that revision (after the item's last committed one) is only in an aborted
 *       transaction ({@link #abortedAssignments}), marks a revision lost from the item's history:
 *       counted in the note, not as a duplicate (lost items are judged on the latest values);
 *   <li><b>migration summaries</b>: model versions summarised on the migrations topic, each at most
 *       once (a repeat is a summary committed twice across the fault).
 * </ul>
 */
record FaultOutcome(
    String scenario,
    int liveItems,
    int lost,
    int duplicates,
    int chainBreaks,
    int versionRegressions,
    int sidCollisions,
    int badExpected,
    int badMissing,
    int badDuplicated,
    int deadLettersUnexpected,
    int sidRecords,
    int migrationSummaries,
    int migrationRepeats,
    String jobState,
    long recoveryMs,
    long longestStallMs,
    long restarts,
    long durationMs,
    boolean atLeastOnce,
    String note) {

  boolean passed() {
    return lost == 0
        && (atLeastOnce || duplicates == 0)
        && versionRegressions == 0
        && sidCollisions == 0
        && badMissing == 0
        && badDuplicated == 0
        && deadLettersUnexpected == 0
        && migrationRepeats == 0
        && "RUNNING".equals(jobState);
  }

  String failures() {
    List<String> f = new ArrayList<>();
    if (lost > 0) {
      f.add(lost + " lost");
    }
    if (duplicates > 0) {
      f.add(duplicates + " duplicate assignments (" + chainBreaks + " chain breaks)");
    }
    if (versionRegressions > 0) {
      f.add(versionRegressions + " version regressions");
    }
    if (sidCollisions > 0) {
      f.add(sidCollisions + " SID collisions");
    }
    if (badMissing > 0 || badDuplicated > 0 || deadLettersUnexpected > 0) {
      f.add(
          "dead letters: "
              + badMissing
              + " missing, "
              + badDuplicated
              + " duplicated, "
              + deadLettersUnexpected
              + " of valid records");
    }
    if (migrationRepeats > 0) {
      f.add(migrationRepeats + " migration summaries repeated");
    }
    if (!"RUNNING".equals(jobState)) {
      f.add("job " + jobState);
    }
    return String.join("; ", f);
  }

  /**
   * Per item, the assignments that no read_committed reader sees, as revision -> SID: those in
   * {@code everything} (all records of the SID topic, aborted transactions included) that are not
   * among the {@code committed} ones, told apart by (item, revision, SID). An item can hold a SID
   * at one revision, committed, and again at a later one only in an aborted transaction (a later
   * model version moved it back), so a SID alone does not say which.
   */
  static Map<String, NavigableMap<Long, String>> abortedAssignments(
      List<Map.Entry<String, SidAssignment>> everything, List<CommittedLog.Entry> committed) {
    Set<String> seen = new HashSet<>();
    for (CommittedLog.Entry e : committed) {
      if (e.value() != null) {
        seen.add(revisionOf(e.key(), assignment(e.value())));
      }
    }
    Map<String, NavigableMap<Long, String>> aborted = new HashMap<>();
    for (Map.Entry<String, SidAssignment> r : everything) {
      if (!seen.contains(revisionOf(r.getKey(), r.getValue()))) {
        aborted
            .computeIfAbsent(r.getKey(), k -> new TreeMap<>())
            .put(r.getValue().getRevision(), r.getValue().getSid());
      }
    }
    return aborted;
  }

  /**
   * Whether {@code a}'s previous_sid is the SID of an aborted assignment right before it: the
   * item's latest aborted revision below {@code a}'s, above its last committed one ({@code
   * committedRevision}, null for none). Then the break in the chain is a revision lost with its
   * transaction, not a replay.
   */
  private static boolean followsAnAbortedRevision(
      NavigableMap<Long, String> aborted, Long committedRevision, SidAssignment a) {
    if (aborted == null || a.getPreviousSid() == null) {
      return false;
    }
    Map.Entry<Long, String> before = aborted.lowerEntry(a.getRevision());
    return before != null
        && (committedRevision == null || before.getKey() > committedRevision)
        && before.getValue().equals(a.getPreviousSid());
  }

  private static String revisionOf(String item, SidAssignment a) {
    return item + '\u0000' + a.getRevision() + '\u0000' + a.getSid();
  }

  /** What the committed logs say about the SID topic alone (used while waiting, too). */
  static Map<String, byte[]> latest(List<CommittedLog.Entry> sids) {
    Map<String, byte[]> latest = new HashMap<>();
    sids.forEach(e -> latest.put(e.key(), e.value()));
    return latest;
  }

  static boolean complete(
      List<CommittedLog.Entry> sids, List<CommittedLog.Entry> dead, Traffic traffic) {
    Map<String, byte[]> latest = latest(sids);
    for (String id : traffic.liveItems()) {
      if (latest.get(id) == null) {
        return false;
      }
    }
    for (String id : traffic.deletedItems()) {
      if (latest.get(id) != null) {
        return false;
      }
    }
    Set<Traffic.SourceRef> seen = new HashSet<>();
    for (CommittedLog.Entry e : dead) {
      seen.add(ref(e));
    }
    return seen.containsAll(traffic.expectedBad());
  }

  /** Final SIDs held by more than one live item (0 when unique). */
  static int sidCollisions(List<CommittedLog.Entry> sids, Set<String> live) {
    return sidCollisions(latest(sids), live);
  }

  private static int sidCollisions(Map<String, byte[]> latest, Set<String> live) {
    Set<String> seen = new HashSet<>();
    int collisions = 0;
    for (String id : live) {
      byte[] v = latest.get(id);
      if (v != null && !seen.add(assignment(v).getSid())) {
        collisions++;
      }
    }
    return collisions;
  }

  static FaultOutcome evaluate(
      String scenario,
      List<CommittedLog.Entry> sids,
      List<CommittedLog.Entry> dead,
      List<CommittedLog.Entry> migrations,
      Traffic traffic,
      String jobState,
      long recoveryMs,
      long longestStallMs,
      long restarts,
      long durationMs,
      boolean atLeastOnce,
      long resentFrom,
      Map<String, NavigableMap<Long, String>> aborted,
      String note) {
    Set<String> live = traffic.liveItems();
    Map<String, byte[]> latest = atLeastOnce ? consumerView(sids) : latest(sids);
    int lost = 0;
    List<String> lostSample = new ArrayList<>();
    for (String id : live) {
      if (latest.get(id) == null) {
        lost++;
        sample(lostSample, "live '" + id + "' " + traffic.history(id));
      }
    }
    for (String id : traffic.deletedItems()) {
      if (latest.get(id) != null) {
        lost++;
        sample(lostSample, "deleted '" + id + "' " + traffic.history(id));
      }
    }

    boolean hasRevision = SidAssignment.getClassSchema().getField("revision") != null;
    Set<String> revisions = new HashSet<>();
    int revisionDuplicates = 0;
    int chainBreaks = 0;
    int regressions = 0;
    int resent = 0;
    int gaps = 0;
    // Gaps whose aborted SID the item had also held, committed, at an earlier revision.
    int gapsToAHeldSid = 0;
    List<String> chainSample = new ArrayList<>();
    // Every SID committed for an item so far: a chain break naming one of them is a replay.
    Map<String, Set<String>> heldBefore = new HashMap<>();
    Map<String, String> lastSid = new HashMap<>();
    Map<String, Long> lastRevision = new HashMap<>();
    Map<String, Long> lastVersion = new HashMap<>();
    for (CommittedLog.Entry e : sids) {
      if (e.value() == null) {
        lastSid.remove(e.key());
        continue;
      }
      SidAssignment a = assignment(e.value());
      // A republish request re-sends the item's current assignment unchanged: the repair, not a
      // replay. Only records committed after the request count as such.
      if (resentFrom >= 0
          && e.seenAtMillis() >= resentFrom
          && a.getSid().equals(lastSid.get(e.key()))
          && Objects.equals(a.getRevision(), lastRevision.get(e.key()))) {
        resent++;
        continue;
      }
      Long committedRevision = lastRevision.put(e.key(), a.getRevision());
      if (hasRevision && !revisions.add(e.key() + "@" + a.get("revision"))) {
        revisionDuplicates++;
      }
      if (!Objects.equals(a.getPreviousSid(), lastSid.get(e.key()))) {
        if (followsAnAbortedRevision(aborted.get(e.key()), committedRevision, a)) {
          gaps++;
          if (heldBefore.getOrDefault(e.key(), Set.of()).contains(a.getPreviousSid())) {
            gapsToAHeldSid++;
          }
        } else {
          chainBreaks++;
          sample(
              chainSample,
              String.format(
                  "'%s' r%d %s after %s, committed at r%s%s",
                  e.key(),
                  a.getRevision(),
                  a.getSid() + " (was " + a.getPreviousSid() + ")",
                  lastSid.get(e.key()),
                  committedRevision,
                  heldBefore.getOrDefault(e.key(), Set.of()).contains(a.getPreviousSid())
                      ? "; its previous_sid was committed for it earlier"
                      : ""));
        }
      }
      lastSid.put(e.key(), a.getSid());
      heldBefore.computeIfAbsent(e.key(), k -> new HashSet<>()).add(a.getSid());
      Long before = lastVersion.put(e.key(), a.getModelVersion());
      if (before != null && a.getModelVersion() < before) {
        regressions++;
      }
    }

    Map<Traffic.SourceRef, Integer> letters = new HashMap<>();
    // The first dead letter per source record, described: for the notes on unexpected ones.
    Map<Traffic.SourceRef, String> lettered = new HashMap<>();
    for (CommittedLog.Entry e : dead) {
      DeadLetter letter = deadLetter(e.value());
      letters.merge(ref(letter), 1, Integer::sum);
      lettered.putIfAbsent(
          ref(letter),
          letter.getErrorKind()
              + " '"
              + letter.getReason()
              + "'"
              + traffic.interactionTiming(ref(letter), e.seenAtMillis()));
    }
    Set<Traffic.SourceRef> expected = traffic.expectedBad();
    Set<Traffic.SourceRef> either = traffic.either();
    int eitherLettered = 0;
    for (Traffic.SourceRef r : either) {
      int n = letters.getOrDefault(r, 0);
      if (n > 0) {
        eitherLettered++;
      }
    }
    int missing = 0;
    int duplicated = 0;
    List<String> missingSample = new ArrayList<>();
    for (Traffic.SourceRef r : expected) {
      int n = letters.getOrDefault(r, 0);
      if (n == 0) {
        missing++;
        sample(missingSample, r + ": " + traffic.describe(r));
      } else if (n > 1) {
        duplicated++;
      }
    }
    for (Traffic.SourceRef r : either) {
      if (letters.getOrDefault(r, 0) > 1) {
        duplicated++;
      }
    }
    int unexpected = 0;
    List<String> unexpectedSample = new ArrayList<>();
    for (Traffic.SourceRef r : letters.keySet()) {
      if (!expected.contains(r) && !either.contains(r)) {
        unexpected++;
        sample(unexpectedSample, r + ": " + lettered.get(r));
      }
    }
    if (traffic.staleItemRecords() > 0) {
      note +=
          "; "
              + traffic.staleItemRecords()
              + " valid item records older than their item's newest event (dropped by the"
              + " per-item event-time order)";
    }
    if (!either.isEmpty()) {
      note +=
          "; "
              + either.size()
              + " interactions whose item changed liveness near their send, judged either way ("
              + eitherLettered
              + " dead-lettered)";
    }
    if (atLeastOnce) {
      Map<String, Set<String>> sidsOfRevision = new HashMap<>();
      for (CommittedLog.Entry e : sids) {
        if (e.value() != null) {
          SidAssignment a = assignment(e.value());
          sidsOfRevision
              .computeIfAbsent(e.key() + "@" + a.getRevision(), k -> new HashSet<>())
              .add(a.getSid());
        }
      }
      long reused = sidsOfRevision.values().stream().filter(s -> s.size() > 1).count();
      note += "; " + reused + " (item, revision) pairs committed with more than one SID";
    }
    if (resentFrom >= 0) {
      note += "; " + resent + " assignments re-sent unchanged by the republish request";
    }
    if (gaps > 0) {
      note +=
          "; "
              + gaps
              + " assignments whose previous_sid is only in an aborted transaction (a gap in"
              + " the item's history, not a replay; no republish can fill it; "
              + gapsToAHeldSid
              + " of them a SID the item had held before, committed, at an earlier revision)";
    }
    if (!chainSample.isEmpty()) {
      note += "; chain breaks e.g. " + chainSample;
    }
    if (!lostSample.isEmpty()) {
      note += "; lost e.g. " + lostSample;
    }
    if (!missingSample.isEmpty()) {
      note += "; dead letters missing e.g. " + missingSample;
    }
    if (!unexpectedSample.isEmpty()) {
      note += "; unexpected dead letters e.g. " + unexpectedSample;
    }
    int versionsSummarised =
        (int) migrations.stream().map(CommittedLog.Entry::key).distinct().count();
    return new FaultOutcome(
        scenario,
        live.size(),
        lost,
        Math.max(revisionDuplicates, chainBreaks),
        chainBreaks,
        regressions,
        sidCollisions(latest, live),
        expected.size(),
        missing,
        duplicated,
        unexpected,
        sids.size(),
        versionsSummarised,
        migrations.size() - versionsSummarised,
        jobState,
        recoveryMs,
        longestStallMs,
        restarts,
        durationMs,
        atLeastOnce,
        note);
  }

  /**
   * The table a consumer that keeps the newest revision per item holds ({@link SidIndex}, as {@code
   * SidTable} feeds it), as item -> latest value (null: deleted): what an at-least-once delivery's
   * duplicates and replays must still resolve to.
   */
  static Map<String, byte[]> consumerView(List<CommittedLog.Entry> sids) {
    SidIndex index = new SidIndex();
    Map<String, byte[]> byItem = new HashMap<>();
    List<SidTopicRecord> records = new ArrayList<>();
    for (CommittedLog.Entry e : sids) {
      records.add(
          e.value() == null
              ? SidTopicRecord.tombstone(e.key(), Math.max(0, e.revision()))
              : SidTopicRecord.assignment(SidRecord.fromAvro(assignment(e.value()))));
    }
    index.apply(records);
    for (CommittedLog.Entry e : sids) {
      byItem.putIfAbsent(e.key(), null);
    }
    for (SidRecord r : index.records()) {
      byItem.put(r.itemId(), AvroWire.SID_ASSIGNMENTS.encode(r.toAvro()));
    }
    return byItem;
  }

  private static void sample(List<String> sample, String what) {
    if (sample.size() < 8) {
      sample.add(what);
    }
  }

  private static Traffic.SourceRef ref(CommittedLog.Entry e) {
    return ref(deadLetter(e.value()));
  }

  private static Traffic.SourceRef ref(DeadLetter letter) {
    return new Traffic.SourceRef(
        letter.getSourceTopic(), letter.getSourcePartition(), letter.getSourceOffset());
  }

  static SidAssignment assignment(byte[] value) {
    try {
      return AvroWire.SID_ASSIGNMENTS.decode(value);
    } catch (Exception e) {
      throw new AssertionError("undecodable SID assignment", e);
    }
  }

  private static DeadLetter deadLetter(byte[] value) {
    try {
      return AvroWire.DEAD_LETTERS.decode(value);
    } catch (Exception e) {
      throw new AssertionError("undecodable dead letter", e);
    }
  }
}
