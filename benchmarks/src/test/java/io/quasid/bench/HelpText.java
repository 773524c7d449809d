package io.quasid.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** What {@code --help} prints for a benchmark's flags, checked to list and describe every flag. */
public final class HelpText {

  private HelpText() {}

  /** The usage {@code --help} prints; fails unless it names and describes every flag. */
  public static String of(BenchmarkFlags<?> flags) {
    StringWriter out = new StringWriter();
    assertThat(BenchmarkCommandLine.parse(flags, new String[] {"--help"}, new PrintWriter(out)))
        .as("--help prints the usage instead of making settings")
        .isEmpty();
    String help = out.toString();
    for (OptionSpec option : new CommandLine(flags).getCommandSpec().options()) {
      assertThat(option.description()).as(option.longestName()).isNotEmpty();
      // The first words only: picocli wraps the rest and expands ${DEFAULT-VALUE}.
      String[] words = option.description()[0].split(" ");
      String start = String.join(" ", Arrays.copyOf(words, Math.min(2, words.length)));
      assertThat(help).contains(option.longestName()).contains(start);
    }
    return help;
  }
}
