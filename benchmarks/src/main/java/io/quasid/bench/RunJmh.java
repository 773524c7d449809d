package io.quasid.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.tensorflow.TensorFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs {@link ModelThroughputBenchmark} and writes {@code model-throughput.json} (raw JMH) and
 * {@code model-throughput.md} (items/s per configuration plus machine info) into the output
 * directory.
 *
 * <p>Usage: {@code RunJmh [--out DIR] [--smoke]} ({@code --help} lists them); {@code --smoke} (or
 * {@code -Dbench.smoke=true}) runs the smallest configuration for one short iteration, to check the
 * harness end to end.
 */
public final class RunJmh {

  private static final String NAME = "model-throughput";

  private RunJmh() {}

  /** The flags: where the results go, and whether this is the smoke run. */
  @Command(
      name = "RunJmh",
      sortOptions = false,
      description = {
        "Runs ModelThroughputBenchmark (JMH) and writes model-throughput.json (raw JMH) and"
            + " model-throughput.md (items/s per configuration plus machine info)."
      })
  static final class Flags implements BenchmarkFlags<Flags> {

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help and exit.")
    boolean help;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Where the results go (default: ${DEFAULT-VALUE}).")
    Path out = Paths.get("results");

    @Option(
        names = "--smoke",
        description =
            "The smallest configuration for one short iteration, to check the harness end to end;"
                + " writes model-throughput-smoke.* (also on with -Dbench.smoke=true).")
    boolean smoke = Boolean.getBoolean("bench.smoke");

    @Override
    public Flags settings() {
      return this;
    }
  }

  public static void main(String[] args) throws RunnerException, IOException {
    Optional<Flags> parsed = BenchmarkCommandLine.parseOrExit(new Flags(), args);
    if (parsed.isEmpty()) {
      return;
    }
    Path out = parsed.get().out;
    boolean smoke = parsed.get().smoke;
    Files.createDirectories(out);
    String name = smoke ? NAME + "-smoke" : NAME;
    Path json = out.resolve(name + ".json");
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(ModelThroughputBenchmark.class.getName())
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString());
    if (smoke) {
      options
          .param("batch", "256")
          .param("inputDim", "64")
          .warmupIterations(1)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(1)
          .measurementTime(TimeValue.seconds(1));
    }
    String loadBefore = loadAverage();
    Collection<RunResult> results = new Runner(options.build()).run();
    Path md = out.resolve(name + ".md");
    Files.writeString(md, summary(results, smoke, loadBefore, loadAverage()));
    System.out.println("wrote " + json + " and " + md);
  }

  static String summary(
      Collection<RunResult> results, boolean smoke, String loadBefore, String loadAfter) {
    List<RunResult> sorted = new ArrayList<>(results);
    sorted.sort(
        Comparator.comparing((RunResult r) -> r.getParams().getBenchmark())
            .thenComparingInt(r -> Integer.parseInt(r.getParams().getParam("inputDim")))
            .thenComparingInt(r -> Integer.parseInt(r.getParams().getParam("batch"))));
    StringBuilder sb = new StringBuilder();
    sb.append("# QuaSID model throughput")
        .append(smoke ? " (smoke run, not a measurement)" : "")
        .append("\n\n");
    sb.append("JMH `ModelThroughputBenchmark`, full QuaSID config (contrastive + repulsion + ")
        .append("masking; encoder 512-256-128, latent 32, 3 x 256 codes; intra/inter-op ")
        .append("threads 1/2), synthetic clustered inputs, batch/4 positive pairs. ")
        .append("items/s = calls/s x batch. `trainStep` includes its forward pass, the Java ")
        .append("pair masks and dead-code bookkeeping.\n\n");
    sb.append("| benchmark | inputDim | batch | calls/s | ± (99.9%) | items/s |\n");
    sb.append("|---|---:|---:|---:|---:|---:|\n");
    for (RunResult r : sorted) {
      String bench = r.getParams().getBenchmark();
      int batch = Integer.parseInt(r.getParams().getParam("batch"));
      double score = r.getPrimaryResult().getScore();
      double error = r.getPrimaryResult().getScoreError();
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.2f | %.2f | %.0f |%n",
              bench.substring(bench.lastIndexOf('.') + 1),
              r.getParams().getParam("inputDim"),
              batch,
              score,
              Double.isNaN(error) ? 0 : error,
              score * batch));
    }
    sb.append("\n## Machine\n\n");
    sb.append("- CPU: ")
        .append(cpuModel())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores visible to the JVM\n");
    sb.append("- OS: ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.version"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append('\n');
    sb.append("- JVM: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append(", heap max ")
        .append(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() >> 20)
        .append(" MiB\n");
    sb.append("- TensorFlow: ")
        .append(TensorFlow.version())
        .append(" (TF Java 1.1.0, CPU native build)\n");
    sb.append("- Load average (1/5/15 min) before / after the run: ")
        .append(loadBefore)
        .append(" / ")
        .append(loadAfter)
        .append(" (other processes share these cores; wide error bars come from them)\n");
    sb.append("- Run at: ").append(Instant.now()).append('\n');
    return sb.toString();
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    Path cpuinfo = Paths.get("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return "unknown CPU";
    }
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}
