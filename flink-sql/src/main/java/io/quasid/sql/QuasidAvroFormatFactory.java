package io.quasid.sql;

import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * {@code 'format' = 'quasid-avro', 'quasid-avro.record' = 'item-features'}: reads the job's topics
 * as tables. Columns are named like the record's fields; any subset, in any order.
 */
public final class QuasidAvroFormatFactory implements DeserializationFormatFactory {

  public static final ConfigOption<String> RECORD =
      ConfigOptions.key("record")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "item-features, interactions, sid-assignments, dead-letters or migrations.");
  public static final ConfigOption<String> REGISTRY_URL =
      ConfigOptions.key("registry-url")
          .stringType()
          .noDefaultValue()
          .withDescription("A schema registry, to read values in registry framing too.");
  public static final ConfigOption<Boolean> IGNORE_PARSE_ERRORS =
      ConfigOptions.key("ignore-parse-errors")
          .booleanType()
          .defaultValue(false)
          .withDescription("Skip undecodable values instead of failing the query.");

  @Override
  public String factoryIdentifier() {
    return "quasid-avro";
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(RECORD);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(REGISTRY_URL, IGNORE_PARSE_ERRORS);
  }

  @Override
  public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(
      DynamicTableFactory.Context context, ReadableConfig formatOptions) {
    FactoryUtil.validateFactoryOptions(this, formatOptions);
    WireRecord record = parseRecord(formatOptions.get(RECORD));
    String registryUrl = formatOptions.getOptional(REGISTRY_URL).orElse(null);
    boolean ignore = formatOptions.get(IGNORE_PARSE_ERRORS);
    return new DecodingFormat<>() {
      @Override
      public DeserializationSchema<RowData> createRuntimeDecoder(
          DynamicTableSource.Context source, DataType physicalDataType) {
        try {
          return new QuasidAvroDeserializer(
              record,
              (RowType) physicalDataType.getLogicalType(),
              source.createTypeInformation(physicalDataType),
              registryUrl,
              ignore);
        } catch (IllegalArgumentException e) {
          throw new ValidationException("quasid-avro: " + e.getMessage(), e);
        }
      }

      @Override
      public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
      }
    };
  }

  private static WireRecord parseRecord(String value) {
    try {
      return WireRecord.valueOf(value.trim().toUpperCase().replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new ValidationException(
          "quasid-avro.record must be item-features, interactions, sid-assignments, dead-letters"
              + " or migrations, got "
              + value);
    }
  }
}
