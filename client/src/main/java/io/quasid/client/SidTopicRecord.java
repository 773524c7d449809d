package io.quasid.client;

import java.util.Objects;

/**
 * One record of the SID topic, decoded: an assignment, or a tombstone ({@code value == null}).
 *
 * @param revision the item revision (header {@code quasid.revision}; 0 from older writers)
 */
public record SidTopicRecord(String itemId, long revision, SidRecord value) {

  public SidTopicRecord {
    Objects.requireNonNull(itemId, "itemId");
    if (value != null && !value.itemId().equals(itemId)) {
      throw new IllegalArgumentException(
          "record key " + itemId + " differs from the value's item id " + value.itemId());
    }
  }

  public static SidTopicRecord assignment(SidRecord value) {
    return new SidTopicRecord(value.itemId(), value.revision(), value);
  }

  public static SidTopicRecord tombstone(String itemId, long revision) {
    return new SidTopicRecord(itemId, revision, null);
  }

  public boolean isTombstone() {
    return value == null;
  }
}
