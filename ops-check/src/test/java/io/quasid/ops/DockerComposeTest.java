package io.quasid.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.ops.OpsFiles.Manifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml: start order, healthchecks, and the topics it creates. */
class DockerComposeTest {

  private static final Set<String> CONDITIONS =
      Set.of("service_started", "service_healthy", "service_completed_successfully");

  private final JsonNode compose = OpsFiles.composeDocument(OpsFiles.read("docker-compose.yml"));
  private final JsonNode services = compose.path("services");

  /** What is wrong with a Compose file's services and their dependencies. */
  static List<String> startOrderProblems(JsonNode compose) {
    List<String> out = new ArrayList<>();
    JsonNode services = compose.path("services");
    if (!services.isObject() || services.isEmpty()) {
      out.add("no services");
      return out;
    }
    Map<String, Set<String>> edges = new HashMap<>();
    for (Iterator<String> it = services.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      JsonNode service = services.get(name);
      if (!service.has("image") && !service.has("build")) {
        out.add(name + ": neither image nor build");
      }
      JsonNode health = service.path("healthcheck");
      if (!health.isMissingNode()) {
        String kind = health.path("test").path(0).asText();
        if (!kind.equals("CMD") && !kind.equals("CMD-SHELL")) {
          out.add(name + ": healthcheck.test must be [CMD, ...] or [CMD-SHELL, ...]");
        }
      }
      JsonNode deps = service.path("depends_on");
      if (deps.isArray()) {
        out.add(name + ": depends_on without conditions only waits for the start");
        continue;
      }
      Set<String> targets = new HashSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> d = deps.fields(); d.hasNext(); ) {
        Map.Entry<String, JsonNode> dep = d.next();
        String target = dep.getKey();
        String condition = dep.getValue().path("condition").asText();
        targets.add(target);
        JsonNode t = services.path(target);
        if (t.isMissingNode()) {
          out.add(name + ": depends on " + target + ", which is no service");
        } else if (!CONDITIONS.contains(condition)) {
          out.add(name + ": unknown condition '" + condition + "' on " + target);
        } else if (condition.equals("service_healthy") && !t.has("healthcheck")) {
          out.add(name + ": waits for " + target + " to be healthy, but it has no healthcheck");
        } else if (condition.equals("service_completed_successfully")
            && !t.path("restart").asText("no").equals("no")) {
          out.add(name + ": waits for " + target + " to complete, but it restarts");
        }
      }
      edges.put(name, targets);
    }
    for (String s : edges.keySet()) {
      if (reaches(edges, s, s, new HashSet<>())) {
        out.add(s + ": depends on itself through depends_on");
      }
    }
    return out;
  }

  private static boolean reaches(
      Map<String, Set<String>> edges, String from, String to, Set<String> seen) {
    for (String next : edges.getOrDefault(from, Set.of())) {
      if (next.equals(to) || (seen.add(next) && reaches(edges, next, to, seen))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theStartOrderIsEnforcedByConditions() {
    assertThat(startOrderProblems(compose)).isEmpty();
    assertThat(services.at("/topic-init/depends_on/kafka/condition").asText())
        .isEqualTo("service_healthy");
    assertThat(services.at("/jobmanager/depends_on/topic-init/condition").asText())
        .isEqualTo("service_completed_successfully");
    assertThat(services.at("/taskmanager/depends_on/jobmanager/condition").asText())
        .isEqualTo("service_healthy");
    for (String s : List.of("kafka", "jobmanager")) {
      JsonNode health = services.path(s).path("healthcheck");
      assertThat(health.path("interval").asText()).as(s).isNotEmpty();
      assertThat(health.path("retries").asInt()).as(s).isPositive();
    }
  }

  @Test
  void brokenStartOrdersAreFound() {
    JsonNode broken =
        OpsFiles.composeDocument(
            """
                services:
                  kafka: {image: apache/kafka:4.2.0}
                  init:
                    image: apache/kafka:4.2.0
                    restart: on-failure
                    depends_on: {kafka: {condition: service_healthy}}
                  job:
                    image: flink
                    depends_on:
                      init: {condition: service_completed_successfully}
                      registry: {condition: service_started}
                      kafka: {condition: service_ready}
                  tm: {image: flink, depends_on: [job]}
                  a: {image: x, depends_on: {b: {condition: service_started}}}
                  b: {image: x, depends_on: {a: {condition: service_started}}}
                """);
    assertThat(startOrderProblems(broken))
        .anySatisfy(p -> assertThat(p).contains("kafka to be healthy, but it has no healthcheck"))
        .anySatisfy(p -> assertThat(p).contains("init to complete, but it restarts"))
        .anySatisfy(p -> assertThat(p).contains("registry, which is no service"))
        .anySatisfy(p -> assertThat(p).contains("unknown condition 'service_ready'"))
        .anySatisfy(p -> assertThat(p).contains("tm: depends_on without conditions"))
        .anySatisfy(p -> assertThat(p).contains("a: depends on itself"));
  }

  @Test
  void topicInitCreatesTheKubernetesTopicsWithTheSameCompaction() {
    JsonNode init = services.path("topic-init");
    assertThat(init.path("image").asText()).isEqualTo(services.at("/kafka/image").asText());
    StringBuilder script = new StringBuilder();
    init.path("command").forEach(c -> script.append(c.asText()).append('\n'));
    Map<String, String> creates = new HashMap<>();
    Matcher m =
        Pattern.compile("kafka-topics\\.sh [^\\n]*--create --if-not-exists --topic (\\S+)([^\\n]*)")
            .matcher(script);
    while (m.find()) {
      creates.put(m.group(1), m.group(2));
    }
    List<Manifest> topics = OpsFiles.ofKind(OpsFiles.k8sManifests(), "KafkaTopic");
    assertThat(creates.keySet())
        .containsExactlyInAnyOrderElementsOf(topics.stream().map(Manifest::name).toList());
    for (Manifest t : topics) {
      String line = creates.get(t.name());
      boolean compacted = t.doc().at("/spec/config/cleanup.policy").asText().equals("compact");
      assertThat(line.contains("cleanup.policy=compact")).as(t.name()).isEqualTo(compacted);
      assertThat(line).as(t.name()).containsPattern("--partitions \\d+");
      JsonNode retention = t.doc().at("/spec/config/delete.retention.ms");
      if (!retention.isMissingNode()) {
        assertThat(line).contains("delete.retention.ms=" + retention.asText());
      }
    }
    assertThat(partitions(creates.get("item-features")))
        .isEqualTo(partitions(creates.get("sid-assignments")));
    assertThat(services.at("/kafka/environment/KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText())
        .isEqualTo("false");
  }

  private static int partitions(String createLine) {
    Matcher m = Pattern.compile("--partitions (\\d+)").matcher(createLine);
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void theFlinkServicesRunTheJobImage() {
    Manifest flink = OpsFiles.one(OpsFiles.k8sManifests(), "FlinkDeployment");
    for (String s : List.of("jobmanager", "taskmanager")) {
      assertThat(services.at("/" + s + "/build/dockerfile").asText())
          .as(s)
          .isEqualTo("ops/docker/Dockerfile");
      assertThat(services.at("/" + s + "/image").asText())
          .isEqualTo(services.at("/jobmanager/image").asText());
    }
    assertThat(services.at("/jobmanager/command").asText())
        .startsWith("standalone-job")
        .contains("--job-classname " + flink.doc().at("/spec/job/entryClass").asText());
  }
}
