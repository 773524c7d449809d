package io.quasid.bench.streaming;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the report says about the box: cores, memory, JVM, and the load from other processes. */
final class Machine {

  private Machine() {}

  static String describe() {
    long memory = 0;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize();
    }
    return String.format(
        Locale.ROOT,
        "%d CPU cores (%s), %.0f GiB RAM, %s %s, Java %s (%s); load before the run: %s",
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        memory / (double) (1L << 30),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        load());
  }

  /**
   * The newest commit that touched the job's code (flink-job, model-bridge, schemas main sources)
   * in the working directory's repository, or "unknown"; the benchmark runs the installed jars,
   * which the README's command builds from that checkout.
   */
  static String jobCommit() {
    try {
      Process git =
          new ProcessBuilder(
                  "git",
                  "log",
                  "-1",
                  "--format=%h %cs",
                  "--",
                  "flink-job/src/main",
                  "model-bridge/src/main",
                  "schemas/src/main")
              .directory(Path.of("..").toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return git.waitFor() == 0 && !out.isEmpty() ? out : "unknown";
    } catch (IOException | InterruptedException | RuntimeException e) {
      return "unknown";
    }
  }

  /** 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown". */
  static String load() {
    try {
      String[] f =
          Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split(" ");
      return f[0] + ", " + f[1] + ", " + f[2] + " (1/5/15 min)";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII);
      return lines.stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown model");
    } catch (IOException | RuntimeException e) {
      return "unknown model";
    }
  }
}
