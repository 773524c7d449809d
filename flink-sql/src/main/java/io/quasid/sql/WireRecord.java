package io.quasid.sql;

import io.quasid.schemas.AvroCodec;
import io.quasid.schemas.AvroWire;

/** The record type of a topic read with the {@code quasid-avro} format. */
public enum WireRecord {
  ITEM_FEATURES(AvroWire.ITEM_FEATURES),
  INTERACTIONS(AvroWire.INTERACTIONS),
  SID_ASSIGNMENTS(AvroWire.SID_ASSIGNMENTS),
  DEAD_LETTERS(AvroWire.DEAD_LETTERS),
  MIGRATIONS(AvroWire.MIGRATIONS);

  private final transient AvroCodec<?> codec;

  WireRecord(AvroCodec<?> codec) {
    this.codec = codec;
  }

  AvroCodec<?> codec() {
    return codec;
  }
}
