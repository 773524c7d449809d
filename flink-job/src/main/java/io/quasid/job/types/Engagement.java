package io.quasid.job.types;

import java.util.Objects;

/**
 * An interaction whose item is in the catalogue, as the known-item gate lets it through: with the
 * item's latest features when the job trains (the training branch pairs items without joining
 * features again), without them ({@link #item} null) when it does not.
 */
public class Engagement {
  public Interaction interaction;

  /** The item's features when the gate passed the interaction, or null. */
  public ItemFeature item;

  public Engagement() {}

  public Engagement(Interaction interaction, ItemFeature item) {
    this.interaction = interaction;
    this.item = item;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Engagement e
        && Objects.equals(interaction, e.interaction)
        && Objects.equals(item, e.item);
  }

  @Override
  public int hashCode() {
    return Objects.hash(interaction, item);
  }

  @Override
  public String toString() {
    return "Engagement{" + interaction + (item == null ? "" : ", with features") + "}";
  }
}
