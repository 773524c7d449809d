package io.quasid.job.pipeline;

import io.quasid.job.types.Interaction;

/**
 * A decoded interaction that still carries its source record, so the item-id check further down
 * ({@link KnownItemGate}) can dead-letter it with full provenance.
 */
public class SourcedInteraction {
  public Interaction interaction;
  public RawRecord source;

  public SourcedInteraction() {}

  public SourcedInteraction(Interaction interaction, RawRecord source) {
    this.interaction = interaction;
    this.source = source;
  }

  @Override
  public String toString() {
    return interaction + " from " + source;
  }
}
