package io.quasid.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Parses a benchmark's command line with picocli into its {@link BenchmarkFlags}; {@code --help}
 * prints the usage picocli renders from the flags' descriptions.
 */
public final class BenchmarkCommandLine {

  private BenchmarkCommandLine() {}

  /**
   * The settings {@code args} give, or empty when {@code --help} printed the usage to {@code out}.
   *
   * @throws IllegalArgumentException for an unknown flag or a missing or malformed value (picocli's
   *     message, then the usage), or for a value the settings refuse (a message naming the flag)
   */
  public static <T> Optional<T> parse(BenchmarkFlags<T> flags, String[] args, PrintWriter out) {
    CommandLine cli = new CommandLine(flags);
    // The Maven profiles pass --out first and the user's flags after it: the last value wins.
    cli.setOverwrittenOptionsAllowed(true);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    ParseResult result;
    try {
      result = cli.parseArgs(args);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(withUsage(e), e);
    }
    if (result.isUsageHelpRequested()) {
      cli.usage(out);
      out.flush();
      return Optional.empty();
    }
    return Optional.of(flags.settings());
  }

  /**
   * {@link #parse} for callers that never ask for help.
   *
   * @throws IllegalArgumentException as {@link #parse} does, and with the usage for {@code --help}
   */
  public static <T> T settings(BenchmarkFlags<T> flags, String[] args) {
    StringWriter usage = new StringWriter();
    return parse(flags, args, new PrintWriter(usage))
        .orElseThrow(() -> new IllegalArgumentException(usage.toString()));
  }

  /**
   * What a benchmark's {@code main} does with its arguments: the settings, or empty after {@code
   * --help} printed the usage to standard output. A refused flag prints its message to standard
   * error and exits with status 2.
   */
  public static <T> Optional<T> parseOrExit(BenchmarkFlags<T> flags, String[] args) {
    try {
      return parse(flags, args, new PrintWriter(System.out));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return Optional.empty();
    }
  }

  private static String withUsage(ParameterException e) {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    out.println(e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, out);
    e.getCommandLine().usage(out);
    out.flush();
    return text.toString();
  }
}
