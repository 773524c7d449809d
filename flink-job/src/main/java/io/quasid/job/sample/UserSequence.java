package io.quasid.job.sample;

import java.util.List;

/** One user's interactions in time order, as item ids. */
public record UserSequence(String userId, List<String> itemIds) {

  public UserSequence {
    itemIds = List.copyOf(itemIds);
  }
}
