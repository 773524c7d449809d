package io.quasid.sql;

import io.quasid.schemas.AvroWireException;
import io.quasid.schemas.FramedCodec;
import io.quasid.schemas.SchemaRegistry;
import io.quasid.schemas.SchemaRegistry.RegistryUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Decodes one of the job's Avro records (single-object or registry framing) into a row whose
 * columns are picked from the record's fields by name ({@code item_id}, {@code features}, ...).
 */
final class QuasidAvroDeserializer implements DeserializationSchema<RowData> {

  private static final long serialVersionUID = 1L;

  private final WireRecord record;
  private final RowType rowType;
  private final int[] fieldOfColumn;
  private final TypeInformation<RowData> producedType;
  private final String registryUrl;
  private final boolean ignoreParseErrors;
  private transient FramedCodec<? extends SpecificRecord> codec;

  QuasidAvroDeserializer(
      WireRecord record,
      RowType rowType,
      TypeInformation<RowData> producedType,
      String registryUrl,
      boolean ignoreParseErrors) {
    this.record = record;
    this.rowType = rowType;
    this.producedType = producedType;
    this.registryUrl = registryUrl;
    this.ignoreParseErrors = ignoreParseErrors;
    Schema schema = record.codec().schema();
    List<String> columns = rowType.getFieldNames();
    this.fieldOfColumn = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      Schema.Field field = schema.getField(columns.get(c));
      if (field == null) {
        throw new IllegalArgumentException(
            "column "
                + columns.get(c)
                + " is not a field of "
                + schema.getName()
                + "; its fields: "
                + schema.getFields().stream().map(Schema.Field::name).toList());
      }
      fieldOfColumn[c] = field.pos();
    }
  }

  @Override
  public void open(InitializationContext context) {
    FramedCodec<? extends SpecificRecord> single = FramedCodec.singleObject(record.codec());
    codec =
        registryUrl == null
            ? single
            : single.readingRegistry(new SchemaRegistry(registryUrl, Duration.ofSeconds(5)));
  }

  @Override
  public RowData deserialize(byte[] message) throws IOException {
    if (message == null) {
      return null; // a tombstone: nothing to read as a row
    }
    SpecificRecord decoded;
    try {
      decoded = codec.decode(message);
    } catch (AvroWireException e) {
      if (ignoreParseErrors) {
        return null;
      }
      throw new IOException(
          "quasid-avro: undecodable "
              + record
              + " value (set ignore-parse-errors to skip): "
              + e.getMessage(),
          e);
    } catch (RegistryUnavailableException e) {
      // Failing the task retries the record after a restart; skipping it would lose it.
      throw new IOException("quasid-avro: schema registry unavailable: " + e.getMessage(), e);
    }
    GenericRowData row = new GenericRowData(fieldOfColumn.length);
    for (int c = 0; c < fieldOfColumn.length; c++) {
      row.setField(c, convert(decoded.get(fieldOfColumn[c]), rowType.getTypeAt(c)));
    }
    return row;
  }

  private static Object convert(Object value, LogicalType type) {
    if (value == null) {
      return null;
    }
    return switch (type.getTypeRoot()) {
      case CHAR, VARCHAR -> StringData.fromString(value.toString());
      case BOOLEAN, INTEGER, BIGINT, FLOAT, DOUBLE -> value;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_WITHOUT_TIME_ZONE ->
          TimestampData.fromInstant((Instant) value);
      case BINARY, VARBINARY -> {
        ByteBuffer b = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        yield bytes;
      }
      case ARRAY -> {
        LogicalType element = ((ArrayType) type).getElementType();
        List<?> list = (List<?>) value;
        Object[] converted = new Object[list.size()];
        for (int i = 0; i < converted.length; i++) {
          converted[i] = convert(list.get(i), element);
        }
        yield new GenericArrayData(converted);
      }
      default ->
          throw new IllegalArgumentException("quasid-avro cannot produce a column of type " + type);
    };
  }

  @Override
  public boolean isEndOfStream(RowData nextElement) {
    return false;
  }

  @Override
  public TypeInformation<RowData> getProducedType() {
    return producedType;
  }
}
