package io.quasid.job.pipeline;

import io.quasid.job.types.ModelUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The bucket changes of one step of a sweep (a slice, or the budgeted moves at its end), sent
 * together: LEAVEs first, so freed suffixes can be reused; JOINs in item id order.
 *
 * <p><b>SID uniqueness during a sweep.</b> Every item is in exactly one bucket at every point of
 * the change stream (its LEAVE precedes its JOIN, both in the same slice), so the bucket allocator
 * never hands one suffix to two members. A consumer can still briefly see two items with one SID
 * string: a suffix freed by a mover may be taken by another item whose JOIN is committed before the
 * mover's new SID, which comes from another bucket subtask, possibly one checkpoint later. This
 * window is one slice plus one checkpoint, as it was one whole pass before slicing.
 */
final class SweepChanges {
  private final ModelUpdate update;
  private final List<BucketChange> leaves = new ArrayList<>();
  private final List<BucketChange> joins = new ArrayList<>();

  /**
   * @param update the version being swept, the one the JOINs are of
   */
  SweepChanges(ModelUpdate update) {
    this.update = update;
  }

  /**
   * Gives the item its {@code next} codes under a new revision: a LEAVE of its old bucket, if it
   * had one, and a JOIN of the new one. The caller writes {@code state}.
   */
  void move(String item, ItemState state, ItemCodes next) {
    ItemCodes old = state.codes;
    state.codes = next;
    long rev = state.nextRevision();
    if (old != null) {
      leaves.add(
          BucketChange.leave(item, old.codes, rev, old.modelVersion, false, update.publishedAt));
    }
    joins.add(BucketChange.join(item, next.codes, rev, update.version, update.publishedAt));
  }

  /** Items moved so far. */
  int moved() {
    return joins.size();
  }

  void emit(Consumer<BucketChange> out) {
    joins.sort(Comparator.comparing(c -> c.itemId));
    leaves.forEach(out);
    joins.forEach(out);
  }
}
