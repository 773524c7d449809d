package io.quasid.job.pipeline;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record for the compacted {@code sid-assignments} topic: the item's live SID, or a tombstone
 * (null value) when {@link #tombstone}. Converted to the Avro {@code SidAssignment} only at the
 * sink, so it travels between operators as a Flink POJO.
 */
public class SidUpdate {
  public String itemId;
  public boolean tombstone;
  public int[] codes;
  public int suffix;
  public String sid;
  public long modelVersion;

  /** The SID the item held before; null for its first one (and for tombstones). */
  public String previousSid;

  public long revision;
  public long causeEventTime;
  public long assignedTime;

  public SidUpdate() {}

  public static SidUpdate assignment(BucketAssignment a, String previousSid, long assignedTime) {
    SidUpdate u = new SidUpdate();
    u.itemId = a.itemId;
    u.codes = a.codes;
    u.suffix = a.suffix;
    u.sid = SidFormat.sid(a.codes, a.suffix);
    u.modelVersion = a.modelVersion;
    u.previousSid = previousSid;
    u.revision = a.revision;
    u.causeEventTime = a.causeEventTime;
    u.assignedTime = assignedTime;
    return u;
  }

  public static SidUpdate tombstone(BucketAssignment a, long assignedTime) {
    SidUpdate u = new SidUpdate();
    u.itemId = a.itemId;
    u.tombstone = true;
    u.suffix = -1;
    u.modelVersion = a.modelVersion;
    u.revision = a.revision;
    u.causeEventTime = a.causeEventTime;
    u.assignedTime = assignedTime;
    return u;
  }

  /** The same assignment, sent again at {@code assignedTime} (see AssignmentPublisher). */
  public SidUpdate republishedAt(long assignedTime) {
    SidUpdate u = new SidUpdate();
    u.itemId = itemId;
    u.tombstone = tombstone;
    u.codes = codes;
    u.suffix = suffix;
    u.sid = sid;
    u.modelVersion = modelVersion;
    u.previousSid = previousSid;
    u.revision = revision;
    u.causeEventTime = causeEventTime;
    u.assignedTime = assignedTime;
    return u;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SidUpdate u
        && tombstone == u.tombstone
        && suffix == u.suffix
        && modelVersion == u.modelVersion
        && revision == u.revision
        && causeEventTime == u.causeEventTime
        && assignedTime == u.assignedTime
        && Objects.equals(itemId, u.itemId)
        && Arrays.equals(codes, u.codes)
        && Objects.equals(sid, u.sid)
        && Objects.equals(previousSid, u.previousSid);
  }

  @Override
  public int hashCode() {
    return Objects.hash(itemId, tombstone, sid, previousSid, revision);
  }

  @Override
  public String toString() {
    return tombstone
        ? "SidUpdate{" + itemId + " tombstone r" + revision + "}"
        : "SidUpdate{" + itemId + " " + sid + " (was " + previousSid + ") r" + revision + "}";
  }
}
