package io.quasid.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The PrometheusRule against the runbook it points to and the metrics the job registers. */
class AlertsTest {

  /**
   * Flink's JobManager job metrics the rules use (Flink docs, "Metrics": Availability and
   * Checkpointing); Flink's own names, so not found in this repository's sources.
   */
  private static final Set<String> FLINK_JOB_METRICS =
      Set.of(
          "numRestarts",
          "numberOfCompletedCheckpoints",
          "numberOfFailedCheckpoints",
          "lastCheckpointDuration");

  private final List<JsonNode> rules = rules();

  private static List<JsonNode> rules() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode group :
        OpsFiles.one(OpsFiles.k8sManifests(), "PrometheusRule").doc().at("/spec/groups")) {
      group.path("rules").forEach(out::add);
    }
    return out;
  }

  /** The alert names of the runbook's "Alerts" table. */
  static List<String> runbookAlerts(String runbook) {
    int start = runbook.indexOf("\n## Alerts\n");
    assertThat(start).as("the runbook has an \"## Alerts\" section").isNotNegative();
    int end = runbook.indexOf("\n## ", start + 1);
    String section = runbook.substring(start, end < 0 ? runbook.length() : end);
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("^\\| `([A-Za-z0-9]+)` \\|", Pattern.MULTILINE).matcher(section);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void theAlertNamesAreTheRunbooks() {
    List<String> runbook = runbookAlerts(OpsFiles.read("ops/runbooks/RUNBOOK.md"));
    List<String> defined = rules.stream().map(r -> r.path("alert").asText()).toList();
    assertThat(runbook).doesNotHaveDuplicates().isNotEmpty();
    assertThat(defined).doesNotHaveDuplicates().doesNotContain("");
    assertThat(defined).containsExactlyInAnyOrderElementsOf(runbook);
  }

  @Test
  void theRunbookTableIsReadAsWritten() {
    String runbook =
        """
        # x
        ## Alerts
        | alert | fires when | symptom below |
        |---|---|---|
        | `QuasidA` | a | b |
        | `QuasidB` | a | b |
        ## Symptoms
        | `NotAnAlert` | c | d |
        """;
    assertThat(runbookAlerts(runbook)).containsExactly("QuasidA", "QuasidB");
  }

  @Test
  void everyAlertSaysHowBadItIsAndWhereItsRunbookEntryIs() {
    for (JsonNode rule : rules) {
      String name = rule.path("alert").asText();
      assertThat(rule.at("/labels/severity").asText()).as(name).isIn("critical", "warning", "info");
      assertThat(rule.at("/annotations/summary").asText()).as(name).isNotBlank();
      assertThat(rule.at("/annotations/runbook").asText())
          .as(name)
          .contains("RUNBOOK.md")
          .endsWith(name);
    }
  }

  @Test
  void everyMetricAnAlertNamesIsOneTheJobOrFlinkRegisters() {
    Set<String> operatorMetrics = registered("flink-job/src/main/java/io/quasid/job/pipeline");
    Set<String> trainerMetrics = registered("flink-job/src/main/java/io/quasid/job/training");
    Set<String> deadLetterKinds = deadLetterKinds();
    List<String> unknown = new ArrayList<>();
    for (JsonNode rule : rules) {
      String expr = rule.path("expr").asText();
      assertThat(balanced(expr)).as("brackets of %s", rule.path("alert").asText()).isTrue();
      Matcher op = Pattern.compile("flink_taskmanager_job_task_operator_(\\w+)").matcher(expr);
      while (op.find()) {
        String name = op.group(1);
        boolean known;
        if (name.startsWith("quasid_training_")) {
          known = trainerMetrics.contains(name.substring("quasid_training_".length()));
        } else if (name.startsWith("deadLetters_")) {
          String kind = name.substring("deadLetters_".length());
          known = kind.isEmpty() || deadLetterKinds.contains(kind); // empty: a regex follows
        } else {
          known = operatorMetrics.contains(name);
        }
        if (!known) {
          unknown.add(rule.path("alert").asText() + ": " + op.group());
        }
      }
      Matcher jm = Pattern.compile("flink_jobmanager_job_(\\w+)").matcher(expr);
      while (jm.find()) {
        if (!FLINK_JOB_METRICS.contains(jm.group(1))) {
          unknown.add(rule.path("alert").asText() + ": " + jm.group());
        }
      }
    }
    assertThat(unknown).isEmpty();
    assertThat(operatorMetrics).contains("collisions", "migrationsPending", "itemRecordsIn");
    assertThat(trainerMetrics).contains("rejectedVersions", "modelVersion");
  }

  @Test
  void theJobNameInTheRulesIsTheOneTheJobRunsUnder() {
    Matcher name =
        Pattern.compile("env\\.execute\\(\"([^\"]+)\"\\)")
            .matcher(OpsFiles.read("flink-job/src/main/java/io/quasid/job/QuasidStreamJob.java"));
    assertThat(name.find()).isTrue();
    for (JsonNode rule : rules) {
      Matcher used = Pattern.compile("job_name=\"([^\"]*)\"").matcher(rule.path("expr").asText());
      while (used.find()) {
        assertThat(used.group(1)).as(rule.path("alert").asText()).isEqualTo(name.group(1));
      }
    }
  }

  /** Names passed to counter(...), gauge(...), histogram(...) or meter(...) under a folder. */
  private static Set<String> registered(String folder) {
    Set<String> names = new HashSet<>();
    Pattern p = Pattern.compile("\\.(?:counter|gauge|histogram|meter)\\(\\s*\"(\\w+)\"");
    try (Stream<Path> files = Files.walk(OpsFiles.ROOT.resolve(folder))) {
      for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
        Matcher m = p.matcher(Files.readString(f));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  private static Set<String> deadLetterKinds() {
    Matcher m =
        Pattern.compile("\"symbols\":\\s*\\[([^]]*)]")
            .matcher(OpsFiles.read("schemas/src/main/avro/DeadLetter.avsc"));
    assertThat(m.find()).isTrue();
    Set<String> kinds = new HashSet<>();
    for (String s : m.group(1).split(",")) {
      kinds.add(s.trim().replace("\"", ""));
    }
    return kinds;
  }

  private static boolean balanced(String expr) {
    StringBuilder stack = new StringBuilder();
    boolean quoted = false;
    for (char c : expr.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && "([{".indexOf(c) >= 0) {
        stack.append(c);
      } else if (!quoted && ")]}".indexOf(c) >= 0) {
        if (stack.isEmpty()
            || "([{".indexOf(stack.charAt(stack.length() - 1)) != ")]}".indexOf(c)) {
          return false;
        }
        stack.setLength(stack.length() - 1);
      }
    }
    return stack.isEmpty() && !quoted;
  }
}
