package io.quasid.bench;

/**
 * A benchmark's flags: a picocli {@code @Command} whose {@code @Option} fields declare each flag
 * (name, default, description for {@code --help}), and the typed settings they make.
 *
 * @param <T> the benchmark's settings
 */
public interface BenchmarkFlags<T> {

  /**
   * The settings of the parsed flags, with the defaults that depend on other flags ({@code
   * --quick}) resolved.
   *
   * @throws IllegalArgumentException naming the flag whose value is refused
   */
  T settings();

  /**
   * Refuses a value: {@code message} names the flag.
   *
   * @throws IllegalArgumentException with {@code message} unless {@code valid}
   */
  static void require(boolean valid, String message) {
    if (!valid) {
      throw new IllegalArgumentException(message);
    }
  }
}
