package io.quasid.client;

import io.quasid.schemas.SidAssignment;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One item's SID as read from the topic: the fields of {@code SidAssignment}, immutable.
 *
 * @param codes one codebook index per level, coarse to fine (at least one)
 * @param previousSid the SID the item held before this assignment, or null for its first one
 * @param revision the item's revision: the record's {@code quasid.revision} header when present,
 *     else the value's {@code revision} field
 */
public record SidRecord(
    String itemId,
    List<Integer> codes,
    int dedupSuffix,
    String sid,
    long modelVersion,
    String previousSid,
    Instant causeEventTime,
    Instant assignedTime,
    long revision) {

  public SidRecord {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(sid, "sid");
    Objects.requireNonNull(causeEventTime, "causeEventTime");
    Objects.requireNonNull(assignedTime, "assignedTime");
    codes = List.copyOf(codes);
    if (codes.isEmpty()) {
      throw new IllegalArgumentException("an SID has at least one code: " + itemId);
    }
    if (dedupSuffix < 0) {
      throw new IllegalArgumentException("negative dedup suffix for " + itemId);
    }
  }

  /** The record of a decoded value, with the value's own revision field. */
  public static SidRecord fromAvro(SidAssignment a) {
    return fromAvro(a, a.getRevision());
  }

  /** The record of a decoded value, with {@code revision} from the record's header. */
  public static SidRecord fromAvro(SidAssignment a, long revision) {
    return new SidRecord(
        a.getItemId(),
        a.getCodes(),
        a.getDedupSuffix(),
        a.getSid(),
        a.getModelVersion(),
        a.getPreviousSid(),
        a.getCauseEventTime(),
        a.getAssignedTime(),
        revision);
  }

  /** The Avro value, its revision field set to {@link #revision()}. */
  public SidAssignment toAvro() {
    return SidAssignment.newBuilder()
        .setItemId(itemId)
        .setCodes(codes)
        .setDedupSuffix(dedupSuffix)
        .setSid(sid)
        .setModelVersion(modelVersion)
        .setPreviousSid(previousSid)
        .setCauseEventTime(causeEventTime)
        .setAssignedTime(assignedTime)
        .setRevision(revision)
        .build();
  }

  /** The codes as a fresh array. */
  public int[] codeArray() {
    return codes.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The full SID as a prefix-trie path: codes, then the dedup suffix. */
  public CodePrefix sidPrefix() {
    return CodePrefix.ofSid(codeArray(), dedupSuffix);
  }
}
