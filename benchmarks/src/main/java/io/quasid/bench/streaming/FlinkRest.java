package io.quasid.bench.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;

/**
 * The few REST calls of the local cluster the benchmark needs: checkpoint history (the same numbers
 * as the web UI's checkpoint tab) and operator metrics summed over subtasks.
 */
final class FlinkRest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One checkpoint as the history lists it; durations in ms, sizes in bytes. */
  record Checkpoint(
      long id,
      String status,
      long triggeredAt,
      long durationMs,
      long stateSize,
      long checkpointedSize) {
    boolean completed() {
      return "COMPLETED".equals(status);
    }
  }

  FlinkRest(int port) {
    this.base = "http://localhost:" + port;
  }

  /** The checkpoint history of {@code job} (as many as {@code web.checkpoints.history} keeps). */
  List<Checkpoint> checkpoints(JobID job) throws IOException, InterruptedException {
    JsonNode history = get("/jobs/" + job + "/checkpoints").path("history");
    List<Checkpoint> out = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (JsonNode c : history) {
      String status = c.path("status").asText();
      long triggered = c.path("trigger_timestamp").asLong();
      // An open checkpoint's duration so far is its age, not its last acknowledgement.
      long duration =
          "IN_PROGRESS".equals(status) ? now - triggered : c.path("end_to_end_duration").asLong();
      out.add(
          new Checkpoint(
              c.path("id").asLong(),
              status,
              triggered,
              duration,
              c.path("state_size").asLong(),
              c.path("checkpointed_size").asLong()));
    }
    out.sort((a, b) -> Long.compare(a.id(), b.id()));
    return out;
  }

  /**
   * Sums, over the subtasks of the first vertex whose name contains {@code vertexName}, each metric
   * whose id ends with one of {@code suffixes}; a metric not (yet) reported is absent.
   */
  Map<String, Double> vertexMetrics(JobID job, String vertexName, List<String> suffixes)
      throws IOException, InterruptedException {
    String vertex = null;
    for (JsonNode v : get("/jobs/" + job).path("vertices")) {
      if (v.path("name").asText().contains(vertexName)) {
        vertex = v.path("id").asText();
        break;
      }
    }
    Map<String, Double> sums = new LinkedHashMap<>();
    if (vertex == null) {
      return sums;
    }
    String path = "/jobs/" + job + "/vertices/" + vertex + "/metrics";
    List<String> ids = new ArrayList<>();
    for (JsonNode m : get(path)) {
      String id = m.path("id").asText();
      if (suffixes.stream().anyMatch(s -> id.endsWith("." + s))) {
        ids.add(id);
      }
    }
    if (ids.isEmpty()) {
      return sums;
    }
    Map<String, Double> bySuffix = new TreeMap<>();
    for (JsonNode m : get(path + "?get=" + String.join(",", ids))) {
      String id = m.path("id").asText();
      double value = m.path("value").asDouble(Double.NaN);
      for (String s : suffixes) {
        if (id.endsWith("." + s) && Double.isFinite(value)) {
          bySuffix.merge(s, value, Double::sum);
        }
      }
    }
    sums.putAll(bySuffix);
    return sums;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }
}
