package io.quasid.job.config;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Parses {@code --key=value} flags into {@link QuasidJobOptions}: one flag per typed option, listed
 * with description and default by {@code --help}, plus any {@code --kafka.<client property>=value}.
 */
public final class QuasidJobCommandLine {

  private QuasidJobCommandLine() {}

  /**
   * Returns the validated options, or empty when help was printed to {@code out}.
   *
   * @throws IllegalArgumentException for an unknown flag or an invalid value
   */
  public static Optional<QuasidJobOptions> parse(String[] args, PrintWriter out) {
    CommandSpec spec = spec();
    CommandLine cli = new CommandLine(spec);
    ParseResult result;
    try {
      result = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (result.isUsageHelpRequested()) {
      cli.usage(out);
      out.flush();
      return Optional.empty();
    }
    Configuration conf = new Configuration();
    for (OptionSpec option : result.matchedOptions()) {
      if (!option.usageHelp()) {
        conf.setString(option.longestName().substring(2), option.getValue());
      }
    }
    for (String unmatched : result.unmatched()) {
      conf.setString(kafkaKey(unmatched), kafkaValue(unmatched));
    }
    return Optional.of(new QuasidJobOptions(conf).validate());
  }

  private static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name("quasid-stream-job");
    spec.usageMessage()
        .description(
            "QuaSID Stream: Kafka item features + interactions -> Semantic IDs -> Kafka, exactly"
                + " once.",
            "Kafka client properties pass through as --kafka.<property>=<value>, e.g."
                + " --kafka.security.protocol=SASL_SSL.");
    spec.addOption(
        OptionSpec.builder("-h", "--help").usageHelp(true).description("Show help.").build());
    List<ConfigOption<?>> options = OptionGroups.all();
    for (ConfigOption<?> option : options) {
      String def = option.hasDefaultValue() ? String.valueOf(option.defaultValue()) : "none";
      spec.addOption(
          OptionSpec.builder("--" + option.key())
              .paramLabel("<value>")
              .type(String.class)
              .description(option.description().toString() + " Default: " + def + ".")
              .build());
    }
    spec.parser().unmatchedOptionsArePositionalParams(false);
    spec.parser().unmatchedArgumentsAllowed(true);
    // The last occurrence wins, so wrappers (the demo) can put defaults first.
    spec.parser().overwrittenOptionsAllowed(true);
    return spec;
  }

  private static String kafkaKey(String arg) {
    if (!arg.startsWith("--" + QuasidJobOptions.KAFKA_PREFIX) || !arg.contains("=")) {
      // Only the name: a mistyped --kafka.sasl.jaas.config=... must not print its secret.
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) + "=<hidden>" : arg;
      throw new IllegalArgumentException(
          "unknown option '"
              + name
              + "' (see --help; Kafka properties go as --kafka.<key>=<value>)");
    }
    return arg.substring(2, arg.indexOf('='));
  }

  private static String kafkaValue(String arg) {
    return arg.substring(arg.indexOf('=') + 1);
  }
}
