package io.quasid.job.config;

import io.quasid.job.training.BatchOptions;
import io.quasid.job.training.FineTuneOptions;
import io.quasid.job.training.PairOptions;
import io.quasid.job.training.PublishOptions;
import io.quasid.job.training.TrainingOptions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** Every group of the job's typed options, in the order {@code --help} lists them. */
public final class OptionGroups {

  private static final List<Class<?>> GROUPS =
      List.of(
          KafkaOptions.class,
          RuntimeOptions.class,
          InputOptions.class,
          ModelOptions.class,
          AssignmentOptions.class,
          TextOptions.class,
          RegistryOptions.class,
          QuasidJobOptions.class,
          TrainingOptions.class,
          PairOptions.class,
          BatchOptions.class,
          PublishOptions.class,
          FineTuneOptions.class);

  private OptionGroups() {}

  /** Every typed option of the job, training included. */
  public static List<ConfigOption<?>> all() {
    List<ConfigOption<?>> options = new ArrayList<>();
    GROUPS.forEach(group -> options.addAll(declaredIn(group)));
    return options;
  }

  private static List<ConfigOption<?>> declaredIn(Class<?> type) {
    List<ConfigOption<?>> options = new ArrayList<>();
    for (Field f : type.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
        try {
          options.add((ConfigOption<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return options;
  }
}
