package io.quasid.bench;

/** Command-line helpers shared by the benchmarks' flag parsers. */
public final class Flags {
  private Flags() {}

  /**
   * The value of the flag at {@code args[i - 1]}.
   *
   * @throws IllegalArgumentException naming the flag and the usage when the value is missing
   */
  public static String value(String[] args, int i, String usage) {
    if (i >= args.length) {
      throw new IllegalArgumentException("missing value for " + args[i - 1] + "; " + usage);
    }
    return args[i];
  }
}
