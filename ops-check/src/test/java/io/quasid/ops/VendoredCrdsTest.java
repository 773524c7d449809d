package io.quasid.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The vendored CRDs are the files their README names, unchanged. */
class VendoredCrdsTest {

  private static final Path DIR = OpsFiles.ROOT.resolve("ops-check/src/test/resources/crds");

  @Test
  void everyVendoredCrdIsListedWithItsChecksum() throws IOException, NoSuchAlgorithmException {
    Map<String, String> listed = new HashMap<>();
    Matcher m =
        Pattern.compile("^\\| `([^`]+)` \\|.*\\| ([0-9a-f]{64}) \\|$", Pattern.MULTILINE)
            .matcher(Files.readString(DIR.resolve("README.md")));
    while (m.find()) {
      listed.put(m.group(1), m.group(2));
    }
    Set<String> present = new HashSet<>();
    try (Stream<Path> files = Files.walk(DIR)) {
      for (Path f : files.filter(p -> p.toString().matches(".*\\.ya?ml")).toList()) {
        String rel = DIR.relativize(f).toString();
        present.add(rel);
        String sha =
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        assertThat(sha).as("sha256 of %s", rel).isEqualTo(listed.get(rel));
      }
    }
    assertThat(present).isEqualTo(listed.keySet());
  }

  @Test
  void theVendoredCrdsServeTheKindsTheManifestsUse() {
    assertThat(CrdSchemas.vendored().kinds())
        .contains(
            "flink.apache.org/v1beta1/FlinkDeployment",
            "kafka.strimzi.io/v1/Kafka",
            "kafka.strimzi.io/v1/KafkaNodePool",
            "kafka.strimzi.io/v1/KafkaTopic",
            "kafka.strimzi.io/v1/KafkaUser",
            "monitoring.coreos.com/v1/PodMonitor",
            "monitoring.coreos.com/v1/PrometheusRule")
        .noneMatch(k -> k.startsWith("kafka.strimzi.io/v1beta2/"));
  }
}
