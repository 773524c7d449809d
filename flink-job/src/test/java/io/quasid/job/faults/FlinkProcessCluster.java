package io.quasid.job.faults;

import io.quasid.job.QuasidStreamJob;
import io.quasid.job.config.QuasidJobOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A real multi-process Flink session cluster for fault tests: one JobManager and any number of
 * TaskManagers, each a child JVM started from this JVM's classpath (so the job's classes are on
 * every process's classpath and a JobGraph built here can be submitted over REST without a jar).
 *
 * <p>All processes share one {@code config.yaml} (free localhost ports, RocksDB, a file://
 * checkpoint and savepoint directory under the cluster's folder, small memory, fast heartbeats);
 * each writes its Flink log to {@code <name>.log} in that folder. TaskManagers can be killed with
 * SIGKILL and replaced.
 */
public final class FlinkProcessCluster implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int slotsPerTaskManager;
  private final int restPort;
  private final Process jobManager;
  private final Map<String, Process> taskManagers = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final RestClusterClient<String> client;
  private final Thread shutdownHook = new Thread(this::destroyAll, "flink-process-cluster-stop");
  private int startedTaskManagers;

  private FlinkProcessCluster(Path dir, int slotsPerTaskManager, int restPort, Process jobManager)
      throws Exception {
    this.dir = dir;
    this.slotsPerTaskManager = slotsPerTaskManager;
    this.restPort = restPort;
    this.jobManager = jobManager;
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    Configuration clientConf = new Configuration();
    clientConf.set(RestOptions.ADDRESS, "localhost");
    clientConf.set(RestOptions.PORT, restPort);
    this.client = new RestClusterClient<>(clientConf, "quasid-faults");
  }

  /** Starts a JobManager and {@code taskManagers} TaskManagers and waits for them to register. */
  public static FlinkProcessCluster start(Path dir, int taskManagers, int slotsPerTaskManager)
      throws Exception {
    Files.createDirectories(dir);
    int rpcPort = freePort();
    int restPort = freePort();
    writeConfig(dir, rpcPort, restPort, slotsPerTaskManager);
    writeLogConfig(dir);
    Process jm = launch(dir, "jobmanager", "jobmanager", "-Xmx512m");
    FlinkProcessCluster cluster = new FlinkProcessCluster(dir, slotsPerTaskManager, restPort, jm);
    try {
      for (int i = 0; i < taskManagers; i++) {
        cluster.startTaskManager();
      }
      cluster.awaitTaskManagers(taskManagers);
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  public Path directory() {
    return dir;
  }

  public RestClusterClient<String> client() {
    return client;
  }

  /** Starts one more TaskManager; returns its name (also its resource id and log file name). */
  public synchronized String startTaskManager() throws IOException {
    String name = "tm-" + (++startedTaskManagers);
    taskManagers.put(
        name, launch(dir, name, "taskmanager", "-Xmx512m", "-Dtaskmanager.resource-id=" + name));
    return name;
  }

  /** kill -9 of a TaskManager; returns once the process is gone. */
  public synchronized void killTaskManager(String name) throws InterruptedException {
    Process tm = taskManagers.remove(name);
    tm.destroyForcibly();
    tm.waitFor(30, TimeUnit.SECONDS);
  }

  public synchronized List<String> taskManagerNames() {
    return new ArrayList<>(taskManagers.keySet());
  }

  /** Keeps exactly {@code count} live TaskManager processes and waits until that many register. */
  public void ensureTaskManagers(int count) throws Exception {
    synchronized (this) {
      taskManagers.values().removeIf(p -> !p.isAlive());
      while (taskManagers.size() < count) {
        startTaskManager();
      }
    }
    awaitTaskManagers(count);
  }

  /** Waits until exactly {@code count} TaskManagers are registered with all their slots. */
  public void awaitTaskManagers(int count) throws Exception {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (true) {
      if (!jobManager.isAlive()) {
        throw new IllegalStateException("JobManager exited: see " + dir.resolve("jobmanager.log"));
      }
      try {
        JsonNode overview = get("/overview");
        if (overview.path("taskmanagers").asInt() == count
            && overview.path("slots-total").asInt() == count * slotsPerTaskManager) {
          return;
        }
      } catch (IOException notYet) {
        // REST endpoint not up yet.
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            count + " TaskManagers not registered after " + STARTUP_TIMEOUT + "; " + logTails());
      }
      Thread.sleep(250);
    }
  }

  /**
   * Builds the Kafka job for {@code options} here and submits its JobGraph; restores from {@code
   * savepoint} unless it is null.
   */
  public JobID submit(QuasidJobOptions options, String name, String savepoint) throws Exception {
    return submit(options, name, savepoint, QuasidStreamJob.SinkDecorator.NONE);
  }

  /** As {@link #submit(QuasidJobOptions, String, String)}, with the job's sinks decorated. */
  public JobID submit(
      QuasidJobOptions options, String name, String savepoint, QuasidStreamJob.SinkDecorator sinks)
      throws Exception {
    StreamExecutionEnvironment env = QuasidStreamJob.environment(options);
    QuasidStreamJob.defineKafkaWorkflow(
        env, options, QuasidStreamJob.kafkaItems(env, options), null, sinks);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(name);
    if (savepoint != null) {
      graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
    }
    JobGraph jobGraph = graph.getJobGraph();
    return client.submitJob(jobGraph).get(2, TimeUnit.MINUTES);
  }

  public JobStatus status(JobID job) throws Exception {
    return client.getJobStatus(job).get(30, TimeUnit.SECONDS);
  }

  /**
   * The job is RUNNING and so is every one of its tasks (a vertex that has FINISHED, such as a
   * bounded source, counts as done, not as down).
   */
  public boolean allTasksRunning(JobID job) {
    try {
      JsonNode details = get("/jobs/" + job);
      if (!"RUNNING".equals(details.path("state").asText())) {
        return false;
      }
      for (JsonNode vertex : details.path("vertices")) {
        String status = vertex.path("status").asText();
        if (!"RUNNING".equals(status) && !"FINISHED".equals(status)) {
          return false;
        }
      }
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** The resource ids of the TaskManagers running tasks of the job, sorted. */
  public List<String> taskManagersOf(JobID job) throws IOException, InterruptedException {
    java.util.TreeSet<String> ids = new java.util.TreeSet<>();
    for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
      String path = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/taskmanagers";
      for (JsonNode tm : get(path).path("taskmanagers")) {
        ids.add(tm.path("taskmanager-id").asText());
      }
    }
    return new ArrayList<>(ids);
  }

  /**
   * The job's restart count: the {@code numRestarts} job metric, or the failures in the job's
   * exception history if more (the REST metric fetcher caches for seconds, and a run read 0 right
   * after two failovers); -1 if neither is readable.
   */
  public long restarts(JobID job) {
    long restarts = -1;
    try {
      for (JsonNode m : get("/jobs/" + job + "/metrics?get=numRestarts")) {
        restarts = Long.parseLong(m.path("value").asText());
      }
      long failures =
          get("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries").size();
      restarts = Math.max(restarts, failures);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      // Not readable now.
    }
    return restarts;
  }

  /** The root exceptions the JobManager keeps for the job (most recent first), for reports. */
  public List<String> exceptions(JobID job) {
    List<String> out = new ArrayList<>();
    try {
      JsonNode ex = get("/jobs/" + job + "/exceptions");
      for (JsonNode entry : ex.path("exceptionHistory").path("entries")) {
        String trace = entry.path("stacktrace").asText();
        out.add(trace.lines().limit(3).reduce((a, b) -> a + " | " + b).orElse(""));
      }
    } catch (IOException | InterruptedException e) {
      out.add("(exceptions not readable: " + e + ")");
    }
    return out;
  }

  /** Stops the job with a canonical savepoint; returns its path. */
  public String stopWithSavepoint(JobID job) throws Exception {
    String target = dir.resolve("savepoints").toUri().toString();
    return client
        .stopWithSavepoint(job, false, target, SavepointFormatType.CANONICAL)
        .get(3, TimeUnit.MINUTES);
  }

  /** Cancels the job (if still running) and waits until it is terminal. */
  public void cancel(JobID job) throws Exception {
    if (!status(job).isGloballyTerminalState()) {
      try {
        client.cancel(job).get(60, TimeUnit.SECONDS);
      } catch (Exception alreadyDone) {
        // Raced with the job ending.
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!status(job).isGloballyTerminalState() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  /** The last lines of every process's log, for failure messages. */
  public String logTails() {
    StringBuilder out = new StringBuilder("logs in " + dir);
    try (var files = Files.list(dir)) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".out"))
              .sorted()
              .toList()) {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        out.append("\n--- ").append(f.getFileName()).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 12), lines.size())
            .forEach(l -> out.append(l, 0, Math.min(l.length(), 400)).append('\n'));
      }
    } catch (IOException | UncheckedIOException e) {
      out.append(" (unreadable: ").append(e).append(')');
    }
    return out.toString();
  }

  /** The REST API's answer at {@code path} (e.g. {@code /jobs/<id>/config}) as JSON text. */
  public String rest(String path) throws IOException, InterruptedException {
    return get(path).toString();
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  @Override
  public void close() {
    client.close();
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook does the same.
    }
  }

  private synchronized void destroyAll() {
    taskManagers.values().forEach(Process::destroyForcibly);
    jobManager.destroyForcibly();
    try {
      for (Process p : taskManagers.values()) {
        p.waitFor(30, TimeUnit.SECONDS);
      }
      jobManager.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    taskManagers.clear();
  }

  private static Process launch(Path dir, String name, String role, String heap, String... extra)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.add("-XX:+UseSerialGC");
    command.add("-Djava.awt.headless=true");
    command.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2-cluster.properties"));
    command.add("-Dlog.file=" + dir.resolve(name + ".log"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FlinkProcessMain.class.getName());
    command.add(role);
    command.add("--configDir");
    command.add(dir.toString());
    command.addAll(List.of(extra));
    File out = dir.resolve(name + ".out").toFile();
    // stdin stays an open pipe: the child's watchdog halts it when this JVM goes away.
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out))
        .start();
  }

  private static void writeConfig(Path dir, int rpcPort, int restPort, int slots)
      throws IOException {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(JobManagerOptions.ADDRESS.key(), "localhost");
    c.put(JobManagerOptions.BIND_HOST.key(), "localhost");
    c.put(JobManagerOptions.PORT.key(), String.valueOf(rpcPort));
    c.put(RestOptions.ADDRESS.key(), "localhost");
    c.put(RestOptions.BIND_ADDRESS.key(), "localhost");
    c.put(RestOptions.PORT.key(), String.valueOf(restPort));
    c.put(TaskManagerOptions.HOST.key(), "localhost");
    c.put(TaskManagerOptions.BIND_HOST.key(), "localhost");
    c.put(TaskManagerOptions.NUM_TASK_SLOTS.key(), String.valueOf(slots));
    // Spread a job's slots over the TaskManagers, so killing one hits the job.
    c.put(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE.key(), "SLOTS");
    c.put(JobManagerOptions.TOTAL_PROCESS_MEMORY.key(), "1024m");
    // A TaskManager started without Flink's scripts needs its resources spelled out (the scripts
    // compute them into -D flags); the -Xmx of launch() is framework + task heap.
    c.put(TaskManagerOptions.CPU_CORES.key(), String.valueOf(slots));
    c.put(TaskManagerOptions.FRAMEWORK_HEAP_MEMORY.key(), "128m");
    c.put(TaskManagerOptions.FRAMEWORK_OFF_HEAP_MEMORY.key(), "128m");
    c.put(TaskManagerOptions.JVM_METASPACE.key(), "256m");
    c.put(TaskManagerOptions.JVM_OVERHEAD_MIN.key(), "192m");
    c.put(TaskManagerOptions.JVM_OVERHEAD_MAX.key(), "192m");
    c.put(TaskManagerOptions.TASK_HEAP_MEMORY.key(), "384m");
    c.put(TaskManagerOptions.TASK_OFF_HEAP_MEMORY.key(), "0m");
    c.put(TaskManagerOptions.NETWORK_MEMORY_MIN.key(), "64m");
    c.put(TaskManagerOptions.NETWORK_MEMORY_MAX.key(), "64m");
    c.put(TaskManagerOptions.MANAGED_MEMORY_SIZE.key(), "256m");
    c.put(StateBackendOptions.STATE_BACKEND.key(), "rocksdb");
    c.put("state.backend.rocksdb.log.dir", dir.resolve("rocksdb-logs").toString());
    c.put("io.tmp.dirs", dir.resolve("tmp").toString());
    c.put(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(),
        dir.resolve("checkpoints").toUri().toString());
    c.put(
        CheckpointingOptions.SAVEPOINT_DIRECTORY.key(),
        dir.resolve("savepoints").toUri().toString());
    // A killed TaskManager is noticed within seconds (failed heartbeat RPCs), a slow one in 20 s.
    c.put(HeartbeatManagerOptions.HEARTBEAT_INTERVAL.key(), "1000");
    c.put(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT.key(), "20000");
    StringBuilder yaml = new StringBuilder("# written by FlinkProcessCluster\n");
    c.forEach((k, v) -> yaml.append(k).append(": \"").append(v).append("\"\n"));
    Files.writeString(dir.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
  }

  private static void writeLogConfig(Path dir) throws IOException {
    String config =
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = File",
            "appender.file.type = File",
            "appender.file.name = File",
            "appender.file.fileName = ${sys:log.file}",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} [%t] - %m%n",
            "logger.kafka.name = org.apache.kafka",
            "logger.kafka.level = WARN",
            "");
    Files.writeString(dir.resolve("log4j2-cluster.properties"), config, StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
