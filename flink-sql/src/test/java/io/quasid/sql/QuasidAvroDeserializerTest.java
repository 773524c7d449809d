package io.quasid.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.SidAssignment;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

class QuasidAvroDeserializerTest {

  private static final Instant T = Instant.ofEpochMilli(1_700_000_000_123L);

  private static QuasidAvroDeserializer sids(boolean ignoreParseErrors, RowType rowType) {
    QuasidAvroDeserializer d =
        new QuasidAvroDeserializer(
            WireRecord.SID_ASSIGNMENTS,
            rowType,
            InternalTypeInfo.of(rowType),
            null,
            ignoreParseErrors);
    d.open(null);
    return d;
  }

  private static RowType columns(DataTypes.Field... fields) {
    return (RowType) DataTypes.ROW(fields).getLogicalType();
  }

  @Test
  void picksColumnsByFieldNameInAnyOrder() throws IOException {
    RowType rowType =
        columns(
            DataTypes.FIELD("codes", DataTypes.ARRAY(DataTypes.INT())),
            DataTypes.FIELD("sid", DataTypes.STRING()),
            DataTypes.FIELD("model_version", DataTypes.BIGINT()),
            DataTypes.FIELD("assigned_time", DataTypes.TIMESTAMP_LTZ(3)),
            DataTypes.FIELD("previous_sid", DataTypes.STRING()));
    byte[] value =
        AvroWire.SID_ASSIGNMENTS.encode(
            SidAssignment.newBuilder()
                .setItemId("4711")
                .setCodes(List.of(12, 201, 7))
                .setDedupSuffix(1)
                .setSid("12-201-7/1")
                .setModelVersion(3L)
                .setPreviousSid(null)
                .setCauseEventTime(T)
                .setAssignedTime(T)
                .setRevision(2)
                .build());

    RowData row = sids(false, rowType).deserialize(value);

    assertThat(row.getArray(0).getInt(2)).isEqualTo(7);
    assertThat(row.getString(1).toString()).isEqualTo("12-201-7/1");
    assertThat(row.getLong(2)).isEqualTo(3L);
    assertThat(row.getTimestamp(3, 3).toInstant()).isEqualTo(T);
    assertThat(row.isNullAt(4)).isTrue();
  }

  @Test
  void aColumnThatIsNoFieldIsRefusedNamingTheFields() {
    RowType rowType = columns(DataTypes.FIELD("colour", DataTypes.STRING()));

    assertThatThrownBy(() -> sids(false, rowType))
        .hasMessageContaining("column colour is not a field of SidAssignment")
        .hasMessageContaining("item_id");
  }

  @Test
  void undecodableValuesFailUnlessIgnoredAndTombstonesAreSkipped() throws IOException {
    RowType rowType = columns(DataTypes.FIELD("sid", DataTypes.STRING()));
    byte[] garbage = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    assertThatThrownBy(() -> sids(false, rowType).deserialize(garbage))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ignore-parse-errors");
    assertThat(sids(true, rowType).deserialize(garbage)).isNull();
    assertThat(sids(false, rowType).deserialize(null)).isNull();
  }
}
