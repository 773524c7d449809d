package io.quasid.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.ops.OpsFiles.Manifest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The files in ops/k8s against each other and against the job: a schema cannot tell that an address
 * names the wrong service or that a port nobody declares is scraped.
 */
class DeploymentConsistencyTest {

  private final List<Manifest> all = OpsFiles.k8sManifests();
  private final Manifest flink = OpsFiles.one(all, "FlinkDeployment");
  private final JsonNode spec = flink.doc().path("spec");
  private final JsonNode conf = spec.path("flinkConfiguration");
  private final JsonNode container = mainContainer();
  private final Map<String, String> args = jobArgs();

  private JsonNode mainContainer() {
    for (JsonNode c : spec.path("podTemplate").path("spec").path("containers")) {
      if (c.path("name").asText().equals("flink-main-container")) {
        return c;
      }
    }
    throw new AssertionError("the pod template has no flink-main-container");
  }

  private Map<String, String> jobArgs() {
    Map<String, String> out = new HashMap<>();
    for (JsonNode a : spec.path("job").path("args")) {
      String arg = a.asText();
      assertThat(arg).as("job argument").startsWith("--").contains("=");
      out.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    return out;
  }

  private String arg(String key) {
    return Optional.ofNullable(args.get(key))
        .orElseThrow(() -> new AssertionError("the job has no --" + key));
  }

  private String argOrJobDefault(String key) {
    return args.containsKey(key) ? args.get(key) : OpsFiles.jobDefault(key);
  }

  private JsonNode env(String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("flink-main-container has no environment variable " + name);
  }

  private JsonNode volume(String name) {
    for (JsonNode v : spec.path("podTemplate").path("spec").path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("the pod template has no volume " + name);
  }

  /** The volume mounted at the longest mount path that contains the path. */
  private JsonNode volumeHolding(String path) {
    JsonNode best = null;
    for (JsonNode m : container.path("volumeMounts")) {
      String at = m.path("mountPath").asText();
      if ((path.equals(at) || path.startsWith(at + "/"))
          && (best == null || at.length() > best.path("mountPath").asText().length())) {
        best = m;
      }
    }
    assertThat(best).as("a volume mounted over %s", path).isNotNull();
    return volume(best.path("name").asText());
  }

  @Test
  void theBootstrapAddressIsTheStrimziServiceOfTheListenerTheClientsUse() {
    Manifest kafka = OpsFiles.one(all, "Kafka");
    JsonNode listener =
        StreamSupport.stream(kafka.doc().at("/spec/kafka/listeners").spliterator(), false)
            .filter(l -> l.path("type").asText().equals("internal"))
            .filter(l -> l.path("tls").asBoolean())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no internal TLS listener"));
    assertThat(arg("bootstrap.servers"))
        .isEqualTo(
            kafka.name()
                + "-kafka-bootstrap."
                + kafka.namespace()
                + ".svc:"
                + listener.path("port").asInt());
    // TLS + SCRAM-SHA-512 on the listener: the clients must speak exactly that.
    assertThat(listener.at("/authentication/type").asText()).isEqualTo("scram-sha-512");
    assertThat(arg("kafka.security.protocol")).isEqualTo("SASL_SSL");
    assertThat(arg("kafka.sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    assertThat(kafka.doc().at("/spec/kafka/authorization/type").asText()).isEqualTo("simple");
  }

  @Test
  void secretsComeFromKubernetesSecretsNeverFromTheManifest() {
    // The job's own rule (QuasidJobOptionsValidator.SECRET_KAFKA_KEYS): password settings are
    // references.
    Pattern reference = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+):([^}]+)}");
    for (String key :
        List.of(
            "sasl.jaas.config",
            "ssl.key.password",
            "ssl.keystore.password",
            "ssl.truststore.password",
            "ssl.keystore.key")) {
      String value = args.get("kafka." + key);
      if (value == null) {
        continue;
      }
      Matcher m = reference.matcher(value);
      assertThat(m.matches()).as("--kafka.%s is a reference", key).isTrue();
      if (m.group(1).equals("env")) {
        JsonNode ref = env(m.group(2)).path("valueFrom").path("secretKeyRef");
        assertThat(ref.path("name").asText()).as("%s comes from a Secret", m.group(2)).isNotEmpty();
      }
    }
    assertThat(args).containsKey("kafka.sasl.jaas.config");
    // Nothing that looks like a credential in any argument, setting or plain env value.
    Pattern credential =
        Pattern.compile("(?i)(password\\s*=\\s*\"?[^\"$\\s]|secret-key|access-key|BEGIN CERT)");
    args.forEach((k, v) -> assertThat(credential.matcher(k + "=" + v).find()).as(k).isFalse());
    conf.fields()
        .forEachRemaining(
            e -> assertThat(credential.matcher(e.getKey()).find()).as(e.getKey()).isFalse());
    for (JsonNode e : container.path("env")) {
      assertThat(credential.matcher(e.path("value").asText()).find())
          .as("env %s", e.path("name").asText())
          .isFalse();
    }
    // S3 credentials: both halves from one Secret.
    assertThat(env("AWS_ACCESS_KEY_ID").at("/valueFrom/secretKeyRef/name").asText())
        .isNotEmpty()
        .isEqualTo(env("AWS_SECRET_ACCESS_KEY").at("/valueFrom/secretKeyRef/name").asText());
  }

  @Test
  void everySecretTheDeploymentUsesIsCreatedByTheReadmeCommands() {
    Set<String> secrets = new HashSet<>();
    container.path("env").forEach(e -> secrets.add(e.at("/valueFrom/secretKeyRef/name").asText()));
    spec.at("/podTemplate/spec/volumes")
        .forEach(v -> secrets.add(v.at("/secret/secretName").asText()));
    secrets.remove("");
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(3);
    String readme = OpsFiles.read("ops/README.md");
    assertThat(secrets)
        .allSatisfy(
            s -> assertThat(readme).containsAnyOf("secret generic " + s, "name: \"" + s + "\""));
  }

  @Test
  void theTruststoreIsTheMountedClusterCa() {
    assertThat(arg("kafka.ssl.truststore.type")).isEqualTo("PEM");
    String location = arg("kafka.ssl.truststore.location");
    JsonNode v = volumeHolding(location);
    assertThat(v.at("/secret/secretName").asText()).isNotEmpty();
    String file = location.substring(location.lastIndexOf('/') + 1);
    assertThat(v.at("/secret/items"))
        .anySatisfy(i -> assertThat(i.path("path").asText()).isEqualTo(file));
  }

  @Test
  void theUserInTheJaasLineIsTheKafkaUserWithAcls() {
    // The JAAS line comes from the KafkaUser's own Secret (copied), so it names that user.
    String secret = env("KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/name").asText();
    assertThat(env("KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/key").asText())
        .isEqualTo("sasl.jaas.config");
    Manifest user = OpsFiles.named(all, "KafkaUser", "quasid-stream");
    assertThat(secret).startsWith(user.name());
    assertThat(user.doc().at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
  }

  @Test
  void theJobsKafkaUserMayDoWhatTheJobDoesAndNoMore() {
    JsonNode acls =
        OpsFiles.named(all, "KafkaUser", "quasid-stream").doc().at("/spec/authorization/acls");
    for (String in : List.of("topic.items", "topic.interactions")) {
      assertThat(allowed(acls, "topic", argOrJobDefault(in)))
          .as(in)
          .containsExactlyInAnyOrder("Read", "Describe");
    }
    for (String out :
        List.of("topic.sid-assignments", "topic.sid-migrations", "topic.dead-letters")) {
      assertThat(allowed(acls, "topic", argOrJobDefault(out)))
          .as(out)
          .containsExactlyInAnyOrder("Write", "Describe");
    }
    assertThat(allowed(acls, "group", argOrJobDefault("group.id"))).contains("Read", "Describe");
    // The sinks' ids are <prefix>-sid, -dlq, -migrations plus the connector's suffixes.
    String prefix = argOrJobDefault("sink.transactional-id-prefix");
    assertThat(allowed(acls, "transactionalId", prefix + "-sid-0-1")).contains("Write", "Describe");
    assertThat(allowed(acls, "transactionalId", prefix + "-dlq-0-1")).contains("Write", "Describe");
    assertThat(allowed(acls, "topic", "some-other-topic")).isEmpty();
    assertThat(acls).noneSatisfy(a -> assertThat(a.path("operations").toString()).contains("All"));
  }

  @Test
  void theRecommenderIsReadOnly() {
    JsonNode acls =
        OpsFiles.named(all, "KafkaUser", "quasid-recommender").doc().at("/spec/authorization/acls");
    assertThat(allowed(acls, "topic", argOrJobDefault("topic.sid-assignments")))
        .containsExactlyInAnyOrder("Read", "Describe");
    assertThat(allowed(acls, "topic", argOrJobDefault("topic.sid-migrations")))
        .containsExactlyInAnyOrder("Read", "Describe");
    for (JsonNode a : acls) {
      a.path("operations").forEach(op -> assertThat(op.asText()).isIn("Read", "Describe"));
      assertThat(a.at("/resource/type").asText()).isIn("topic", "group");
    }
    assertThat(allowed(acls, "group", argOrJobDefault("group.id"))).isEmpty();
  }

  /** Operations the ACLs allow on a resource (literal name or matching prefix). */
  private static Set<String> allowed(JsonNode acls, String type, String name) {
    Set<String> ops = new HashSet<>();
    for (JsonNode a : acls) {
      JsonNode r = a.path("resource");
      boolean prefix = r.path("patternType").asText("literal").equals("prefix");
      String n = r.path("name").asText();
      if (r.path("type").asText().equals(type)
          && !a.path("type").asText("allow").equals("deny")
          && (prefix ? name.startsWith(n) : name.equals(n))) {
        a.path("operations").forEach(op -> ops.add(op.asText()));
      }
    }
    return ops;
  }

  @Test
  void theTopicsAreTheJobsAndBelongToTheCluster() {
    Manifest kafka = OpsFiles.one(all, "Kafka");
    Map<String, JsonNode> topics = new HashMap<>();
    for (Manifest t : OpsFiles.ofKind(all, "KafkaTopic")) {
      topics.put(t.doc().at("/spec/topicName").asText(t.name()), t.doc().at("/spec/config"));
      assertThat(t.namespace()).as(t.toString()).isEqualTo(kafka.namespace());
      assertThat(t.doc().at("/metadata/labels/strimzi.io~1cluster").asText())
          .isEqualTo(kafka.name());
    }
    for (Manifest m : OpsFiles.ofKind(all, "KafkaUser")) {
      assertThat(m.namespace()).isEqualTo(kafka.namespace());
      assertThat(m.doc().at("/metadata/labels/strimzi.io~1cluster").asText())
          .isEqualTo(kafka.name());
    }
    for (Manifest m : OpsFiles.ofKind(all, "KafkaNodePool")) {
      assertThat(m.doc().at("/metadata/labels/strimzi.io~1cluster").asText())
          .isEqualTo(kafka.name());
    }
    assertThat(topics.keySet())
        .containsExactlyInAnyOrder(
            argOrJobDefault("topic.items"),
            argOrJobDefault("topic.interactions"),
            argOrJobDefault("topic.sid-assignments"),
            argOrJobDefault("topic.sid-migrations"),
            argOrJobDefault("topic.dead-letters"));
    for (String compacted : List.of("topic.sid-assignments", "topic.sid-migrations")) {
      JsonNode config = topics.get(argOrJobDefault(compacted));
      assertThat(config.path("cleanup.policy").asText()).as(compacted).isEqualTo("compact");
      // The bound on a client snapshot's age (kafka-topics.yaml explains it).
      assertThat(config.path("delete.retention.ms").asLong())
          .as(compacted)
          .isGreaterThanOrEqualTo(86_400_000L);
    }
    assertThat(
            topics
                .get(argOrJobDefault("topic.dead-letters"))
                .path("cleanup.policy")
                .asText("delete"))
        .isEqualTo("delete");
  }

  @Test
  void transactionsAndCheckpointsFitTheBrokersLimit() {
    JsonNode brokerConfig = OpsFiles.one(all, "Kafka").doc().at("/spec/kafka/config");
    long jobTransactionTimeoutMs =
        args.containsKey("kafka.transaction.timeout.ms")
            ? Long.parseLong(args.get("kafka.transaction.timeout.ms"))
            : 600_000L; // the job's default (flink-job README: 10 min)
    assertThat(brokerConfig.path("transaction.max.timeout.ms").asLong(900_000L))
        .isGreaterThanOrEqualTo(jobTransactionTimeoutMs);
    assertThat(millis(conf.path("execution.checkpointing.timeout").asText()))
        .isLessThanOrEqualTo(jobTransactionTimeoutMs / 2);
    assertThat(brokerConfig.path("auto.create.topics.enable").asBoolean(true)).isFalse();
  }

  @Test
  void stateAndHighAvailabilityAreOnS3ThroughAnEnabledPlugin() {
    assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
    for (String key :
        List.of(
            "high-availability.storageDir",
            "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir")) {
      assertThat(conf.path(key).asText()).as(key).startsWith("s3://");
    }
    assertThat(args).doesNotContainKey("checkpoint.dir");
    String flinkVersion = OpsFiles.rootPomProperty("flink.version");
    assertThat(env("ENABLE_BUILT_IN_PLUGINS").path("value").asText())
        .isEqualTo("flink-s3-fs-presto-" + flinkVersion + ".jar");
    assertThat(spec.path("flinkVersion").asText())
        .isEqualTo(
            "v" + flinkVersion.substring(0, flinkVersion.lastIndexOf('.')).replace('.', '_'));
  }

  @Test
  void theExportDirectoryIsOnASharedVolumeClaim() {
    JsonNode v = volumeHolding(arg("training.export-dir"));
    String claim = v.at("/persistentVolumeClaim/claimName").asText();
    Manifest pvc = OpsFiles.named(all, "PersistentVolumeClaim", claim);
    assertThat(pvc.namespace()).isEqualTo(flink.namespace());
    // Written by whichever TaskManager runs the trainer, read by others.
    assertThat(pvc.doc().at("/spec/accessModes").toString()).contains("ReadWriteMany");
  }

  @Test
  void tensorFlowsNativeUnpackDirectoryIsADiskEmptyDir() {
    Matcher m =
        Pattern.compile("-Dorg\\.bytedeco\\.javacpp\\.cachedir=(\\S+)")
            .matcher(conf.path("env.java.opts.all").asText());
    assertThat(m.find()).as("env.java.opts.all sets the javacpp cache dir").isTrue();
    JsonNode v = volumeHolding(m.group(1));
    assertThat(v.has("emptyDir")).isTrue();
    // A tmpfs would count the ~650 MB against the memory limit.
    assertThat(v.at("/emptyDir/medium").asText("")).isNotEqualTo("Memory");
  }

  @Test
  void theTaskManagerReservesOffHeapMemoryForTensorFlow() {
    // ~410 MB measured for two slots (flink-deployment.yaml explains the number).
    assertThat(mebibytes(conf.path("taskmanager.memory.task.off-heap.size").asText()))
        .isGreaterThanOrEqualTo(410);
    assertThat(mebibytes(spec.at("/taskManager/resource/memory").asText()))
        .isGreaterThan(mebibytes(conf.path("taskmanager.memory.task.off-heap.size").asText()) * 8);
  }

  @Test
  void thePodMonitorScrapesThePortTheReporterServes() {
    assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
        .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    int reporterPort = Integer.parseInt(conf.path("metrics.reporter.prom.port").asText());
    Manifest monitor = OpsFiles.one(all, "PodMonitor");
    assertThat(monitor.namespace()).isEqualTo(flink.namespace());
    JsonNode labels = spec.at("/podTemplate/metadata/labels");
    monitor
        .doc()
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                assertThat(labels.path(e.getKey()).asText())
                    .as(e.getKey())
                    .isEqualTo(e.getValue().asText()));
    assertThat(monitor.doc().at("/spec/selector/matchLabels").size()).isPositive();
    for (JsonNode endpoint : monitor.doc().at("/spec/podMetricsEndpoints")) {
      String port = endpoint.path("port").asText();
      assertThat(container.path("ports"))
          .as("container port %s", port)
          .anySatisfy(
              p -> {
                assertThat(p.path("name").asText()).isEqualTo(port);
                assertThat(p.path("containerPort").asInt()).isEqualTo(reporterPort);
              });
    }
  }

  @Test
  void everyMountHasItsVolume() {
    for (JsonNode m : container.path("volumeMounts")) {
      volume(m.path("name").asText());
    }
  }

  static long millis(String duration) {
    Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|min|h)").matcher(duration.trim());
    assertThat(m.matches()).as("duration %s", duration).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1_000;
      case "min" -> n * 60_000;
      default -> n * 3_600_000;
    };
  }

  static long mebibytes(String size) {
    Matcher m =
        Pattern.compile("(\\d+)\\s*([mg])b?", Pattern.CASE_INSENSITIVE).matcher(size.trim());
    assertThat(m.matches()).as("memory size %s", size).isTrue();
    long n = Long.parseLong(m.group(1));
    return m.group(2).equalsIgnoreCase("g") ? n * 1024 : n;
  }
}
