package io.quasid.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.ops.OpsFiles.Manifest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every document in ops/k8s against the CRD schema of the operator release it targets (see
 * src/test/resources/crds/README.md), and deliberately broken documents that must be refused.
 */
class ManifestSchemaTest {

  private static CrdSchemas crds;

  @BeforeAll
  static void loadCrds() {
    crds = CrdSchemas.vendored();
  }

  @Test
  void everyManifestInOpsK8sIsValid() {
    List<Manifest> manifests = OpsFiles.k8sManifests();
    assertThat(manifests).hasSizeGreaterThanOrEqualTo(13);
    List<String> problems = new ArrayList<>();
    for (Manifest m : manifests) {
      crds.problems(m.doc()).forEach(p -> problems.add(m + ": " + p));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theManifestsUseTheStrimziV1Api() {
    assertThat(OpsFiles.k8sManifests())
        .filteredOn(m -> m.apiVersion().startsWith("kafka.strimzi.io/"))
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m.apiVersion()).isEqualTo("kafka.strimzi.io/v1"));
  }

  private static final String TOPIC =
      """
      apiVersion: kafka.strimzi.io/v1
      kind: KafkaTopic
      metadata: {name: sid-assignments, namespace: kafka, labels: {strimzi.io/cluster: recsys}}
      spec: {partitions: 12, replicas: 3, config: {cleanup.policy: compact}}
      """;

  @Test
  void aValidInlineDocumentPasses() {
    // The baseline of the broken variants below: they differ from it in one place each.
    assertThat(crds.problems(OpsFiles.documents(TOPIC).get(0))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Strimzi 1.0 removed v1beta2        | kafka.strimzi.io/v1 | kafka.strimzi.io/v1beta2   | not served
          a kind no vendored CRD defines     | kind: KafkaTopic    | kind: KafkaTopics          | no CRD
          a string where an integer belongs  | partitions: 12      | partitions: twelve         | integer
          an unknown field (pruned silently) | replicas: 3         | replica: 3                 | replica
          a name Kubernetes refuses          | sid-assignments,    | SID_assignments,           | valid Kubernetes name
          no namespace                       | ' namespace: kafka,'| ''                         | namespace
          """)
  void aBrokenKafkaTopicIsRefused(String what, String from, String to, String expected) {
    assertThat(TOPIC).contains(from);
    JsonNode broken = OpsFiles.documents(TOPIC.replace(from, to)).get(0);
    assertThat(crds.problems(broken)).as(what).anySatisfy(p -> assertThat(p).contains(expected));
  }

  @Test
  void aKafkaUserAclWithTheV1beta2FieldNameIsRefused() {
    // v1beta2 allowed `operation: Read`; v1 has only `operations: [...]`.
    JsonNode user =
        OpsFiles.documents(
                """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: {name: quasid-stream, namespace: kafka, labels: {strimzi.io/cluster: recsys}}
                spec:
                  authentication: {type: scram-sha-512}
                  authorization:
                    type: simple
                    acls:
                      - resource: {type: topic, name: sid-assignments, patternType: literal}
                        operation: Write
                """)
            .get(0);
    assertThat(crds.problems(user))
        .anySatisfy(p -> assertThat(p).contains("operations"))
        .anySatisfy(p -> assertThat(p).contains("operation"));
  }

  @Test
  void aFlinkDeploymentWithAnUnknownFlinkVersionOrMisplacedFieldIsRefused() {
    JsonNode deployment =
        OpsFiles.documents(
                """
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata: {name: quasid-stream, namespace: recsys}
                spec:
                  flinkVersion: v2_9
                  job: {jarURI: local:///opt/flink/usrlib/quasid-flink-job.jar, upgradeMode: savepoint}
                  taskManager: {resource: {memory: 8192m, cpu: 4}, numberOfTaskSlots: 2}
                """)
            .get(0);
    assertThat(crds.problems(deployment))
        .anySatisfy(p -> assertThat(p).contains("flinkVersion"))
        .anySatisfy(p -> assertThat(p).contains("numberOfTaskSlots"));
  }

  @Test
  void aPodMonitorWithoutSelectorIsRefused() {
    JsonNode monitor =
        OpsFiles.documents(
                """
                apiVersion: monitoring.coreos.com/v1
                kind: PodMonitor
                metadata: {name: quasid-stream, namespace: recsys}
                spec:
                  podMetricsEndpoints: [{port: metrics}]
                """)
            .get(0);
    assertThat(crds.problems(monitor)).anySatisfy(p -> assertThat(p).contains("selector"));
  }

  @Test
  void aCoreKindWithoutNameOrAccessModeIsRefused() {
    JsonNode pvc =
        OpsFiles.documents(
                """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {namespace: recsys}
                spec: {accessModes: [ReadWriteEverywhere], resources: {requests: {storage: 1Gi}}}
                """)
            .get(0);
    assertThat(crds.problems(pvc))
        .anySatisfy(p -> assertThat(p).contains("metadata.name"))
        .anySatisfy(p -> assertThat(p).contains("ReadWriteEverywhere"));
  }
}
