package io.quasid.schemas;

/**
 * The codecs for every record type QuaSID Stream puts on Kafka. Each value is Avro single-object
 * encoded; keys are plain UTF-8 strings (item or user id) and are not handled here. Each codec
 * reads records written with any released version of its schema.
 */
public final class AvroWire {

  public static final AvroCodec<ItemFeatureEvent> ITEM_FEATURES =
      AvroCodec.forType(ItemFeatureEvent.class).withReleasedSchemas();
  public static final AvroCodec<InteractionEvent> INTERACTIONS =
      AvroCodec.forType(InteractionEvent.class).withReleasedSchemas();
  public static final AvroCodec<SidAssignment> SID_ASSIGNMENTS =
      AvroCodec.forType(SidAssignment.class).withReleasedSchemas();
  public static final AvroCodec<DeadLetter> DEAD_LETTERS =
      AvroCodec.forType(DeadLetter.class).withReleasedSchemas();
  public static final AvroCodec<MigrationSummary> MIGRATIONS =
      AvroCodec.forType(MigrationSummary.class).withReleasedSchemas();

  private AvroWire() {}
}
