package io.quasid.sql;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * {@code CREATE MODEL m INPUT (features ARRAY<FLOAT>) OUTPUT (codes ARRAY<INT>) WITH ('provider' =
 * 'quasid', 'snapshot' = '...')}: a QuaSID tokenizer for {@code ML_PREDICT}. It returns the code
 * tuple only: the dedup suffix, revisions and model versions come from the job's keyed state.
 */
public final class QuasidModelProviderFactory implements ModelProviderFactory {

  public static final ConfigOption<String> SNAPSHOT =
      ConfigOptions.key("snapshot")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "A QuaSID snapshot file (the job's model.snapshot, or a training export).");
  public static final ConfigOption<String> SAVED_MODEL =
      ConfigOptions.key("saved-model")
          .stringType()
          .noDefaultValue()
          .withDescription("A SavedModel directory written by QuasidModel.exportSavedModel.");
  public static final ConfigOption<Integer> BATCH_SIZE =
      ConfigOptions.key("batch-size")
          .intType()
          .defaultValue(256)
          .withDescription("Rows per TensorFlow call in async mode.");
  public static final ConfigOption<Duration> BATCH_WAIT =
      ConfigOptions.key("batch-wait")
          .durationType()
          .defaultValue(Duration.ofMillis(5))
          .withDescription("How long a batch waits to fill in async mode.");

  @Override
  public String factoryIdentifier() {
    return "quasid";
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of();
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(SNAPSHOT, SAVED_MODEL, BATCH_SIZE, BATCH_WAIT);
  }

  @Override
  public ModelProvider createModelProvider(ModelProviderFactory.Context context) {
    FactoryUtil.ModelProviderFactoryHelper helper =
        FactoryUtil.createModelProviderFactoryHelper(this, context);
    helper.validate();
    ReadableConfig options = helper.getOptions();
    requireSingleColumn(
        context.getCatalogModel().getResolvedInputSchema(), "INPUT", LogicalTypeRoot.FLOAT);
    requireSingleColumn(
        context.getCatalogModel().getResolvedOutputSchema(), "OUTPUT", LogicalTypeRoot.INTEGER);
    ModelSource source;
    try {
      source =
          new ModelSource(
              options.getOptional(SNAPSHOT).orElse(null),
              options.getOptional(SAVED_MODEL).orElse(null));
    } catch (IllegalArgumentException e) {
      throw new ValidationException(
          "QuaSID model " + context.getObjectIdentifier() + ": " + e.getMessage());
    }
    if (options.get(BATCH_SIZE) < 1) {
      throw new ValidationException("'" + BATCH_SIZE.key() + "' must be >= 1");
    }
    return new QuasidModelProvider(source, options.get(BATCH_SIZE), options.get(BATCH_WAIT));
  }

  private static void requireSingleColumn(
      ResolvedSchema schema, String clause, LogicalTypeRoot element) {
    List<Column> columns = schema.getColumns();
    LogicalType type = columns.size() == 1 ? columns.get(0).getDataType().getLogicalType() : null;
    if (!(type instanceof ArrayType array) || array.getElementType().getTypeRoot() != element) {
      throw new ValidationException(
          "a QuaSID model's "
              + clause
              + " is one ARRAY<"
              + (element == LogicalTypeRoot.FLOAT ? "FLOAT" : "INT")
              + "> column, got "
              + schema);
    }
  }
}
