package io.quasid.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * ops/docker/Dockerfile against the pom and the FlinkDeployment. It cannot be built here (no Docker
 * engine); this checks what can be read.
 */
class DockerfileTest {

  private final String dockerfile = OpsFiles.read("ops/docker/Dockerfile");
  private final JsonNode flink =
      OpsFiles.one(OpsFiles.k8sManifests(), "FlinkDeployment").doc().path("spec");

  private String instruction(String regex) {
    Matcher m = Pattern.compile("^" + regex + "$", Pattern.MULTILINE).matcher(dockerfile);
    assertThat(m.find()).as("Dockerfile has %s", regex).isTrue();
    return m.group(1);
  }

  @Test
  void theBaseIsTheOfficialImageOfThePomsFlinkVersion() {
    assertThat(instruction("FROM (\\S+)"))
        .isEqualTo("flink:" + OpsFiles.rootPomProperty("flink.version") + "-scala_2.12-java17");
  }

  @Test
  void theJobJarLandsWhereTheDeploymentLooks() {
    String target =
        instruction(
            "COPY --chown=flink:flink flink-job/target/quasid-flink-job-\\*-job\\.jar (\\S+)");
    assertThat(flink.at("/job/jarURI").asText()).isEqualTo("local://" + target);
    assertThat(target).startsWith("/opt/flink/usrlib/");
    // The shade plugin attaches the job jar with this classifier.
    assertThat(OpsFiles.read("flink-job/pom.xml"))
        .contains("<shadedClassifierName>job</shadedClassifierName>");
    assertThat(OpsFiles.read("ops/docker/Dockerfile.dockerignore"))
        .contains("\n!flink-job/target/quasid-flink-job-*-job.jar");
  }

  @Test
  void theImageEnablesTheS3PluginTheDeploymentNames() {
    String plugins = instruction("ENV ENABLE_BUILT_IN_PLUGINS=(\\S+)");
    String deployed = null;
    for (JsonNode c : flink.at("/podTemplate/spec/containers")) {
      for (JsonNode e : c.path("env")) {
        if (e.path("name").asText().equals("ENABLE_BUILT_IN_PLUGINS")) {
          deployed = e.path("value").asText();
        }
      }
    }
    assertThat(plugins).isEqualTo(deployed);
    assertThat(dockerfile).contains("plugins/metrics-prometheus/flink-metrics-prometheus-");
  }
}
