package io.quasid.client;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Test records. */
final class SidRecords {

  private SidRecords() {}

  static String sid(int[] codes, int suffix) {
    return CodePrefix.ofSid(codes, suffix).toString();
  }

  static SidRecord record(
      String item, long version, long revision, String previousSid, int suffix, int... codes) {
    List<Integer> list = Arrays.stream(codes).boxed().toList();
    return new SidRecord(
        item,
        list,
        suffix,
        sid(codes, suffix),
        version,
        previousSid,
        Instant.ofEpochMilli(1_000 * version),
        Instant.ofEpochMilli(1_000 * version + revision),
        revision);
  }

  static SidTopicRecord put(SidRecord r) {
    return SidTopicRecord.assignment(r);
  }

  static SidTopicRecord delete(String item, long revision) {
    return SidTopicRecord.tombstone(item, revision);
  }
}
