package io.quasid.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code -D<profile>.args="..."} examples the READMEs, docs and result reports give, and the
 * arguments a Maven profile of {@code benchmarks/pom.xml} passes with one of them: what a reader
 * copies must keep parsing.
 */
public final class DocumentedArgs {

  /** The module's directory: surefire runs the tests there. */
  private static final Path MODULE = Path.of("").toAbsolutePath();

  private static final Path REPO = MODULE.getParent();

  private DocumentedArgs() {}

  /**
   * Every value of {@code -D<profile>.args=...} in README.md, docs/, benchmarks/*.md and
   * benchmarks/results/*.md, quoted or not, line breaks inside quotes read as spaces; "..."
   * placeholders are left out.
   */
  public static List<String> examples(String profile) {
    Pattern example =
        Pattern.compile("-D" + Pattern.quote(profile) + "\\.args=(?:\"([^\"]*)\"|([^\\s`\"]*))");
    List<String> found = new ArrayList<>();
    for (Path file : documents()) {
      Matcher m = example.matcher(read(file));
      while (m.find()) {
        String value = (m.group(1) != null ? m.group(1) : m.group(2)).strip();
        if (!value.equals("...")) {
          found.add(value.replaceAll("\\s+", " "));
        }
      }
    }
    return found;
  }

  /**
   * The program arguments the profile's exec-maven-plugin execution passes when {@code
   * -D<profile>.args} is {@code args}: its {@code commandlineArgs} after the main class, split on
   * whitespace as the plugin does for unquoted text.
   */
  public static String[] profileArgs(String profile, String args) {
    String pom = read(MODULE.resolve("pom.xml"));
    Matcher m =
        Pattern.compile(
                "<id>"
                    + Pattern.quote(profile)
                    + "</id>.*?<commandlineArgs>(.*?)</commandlineArgs>",
                Pattern.DOTALL)
            .matcher(pom);
    if (!m.find()) {
      throw new IllegalStateException("no commandlineArgs for profile " + profile);
    }
    String line =
        m.group(1)
            .replace("${project.basedir}", MODULE.toString())
            .replace("${" + profile + ".args}", args)
            .strip();
    List<String> words = Arrays.asList(line.split("\\s+"));
    int mainClass = -1;
    for (int i = 0; i < words.size(); i++) {
      if (words.get(i).startsWith("io.quasid.bench.")) {
        mainClass = i;
      }
    }
    return words.subList(mainClass + 1, words.size()).stream()
        .filter(w -> !w.isEmpty())
        .toArray(String[]::new);
  }

  /**
   * Whether {@code argv} (the profile's arguments with the example {@code args}) parses: into
   * settings, or into the usage when the example asks for {@code --help}.
   *
   * @throws IllegalArgumentException as {@link BenchmarkCommandLine#parse} does
   */
  public static boolean parse(BenchmarkFlags<?> flags, String[] argv, String args) {
    StringWriter usage = new StringWriter();
    Optional<?> settings = BenchmarkCommandLine.parse(flags, argv, new PrintWriter(usage));
    boolean help = Arrays.asList(args.split(" ")).contains("--help");
    return help
        ? settings.isEmpty() && usage.toString().startsWith("Usage: ")
        : settings.isPresent();
  }

  private static List<Path> documents() {
    List<Path> files = new ArrayList<>();
    files.add(REPO.resolve("README.md"));
    files.addAll(markdownIn(REPO.resolve("docs")));
    files.addAll(markdownIn(MODULE));
    files.addAll(markdownIn(MODULE.resolve("results")));
    return files;
  }

  private static List<Path> markdownIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
