package io.quasid.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of Strimzi {@code KafkaUser} resources, as Kafka {@link AclBinding}s, so a test can give
 * a real broker exactly what a manifest grants (and find out when it grants too little).
 */
final class KafkaUserAcls {

  private KafkaUserAcls() {}

  /** Every KafkaUser in a (multi-document) manifest, by name. */
  static Map<String, List<AclBinding>> read(Path manifest) throws IOException {
    ObjectMapper json = JsonMapper.builder().build();
    Map<String, List<AclBinding>> users = new LinkedHashMap<>();
    try (YAMLParser parser = new YAMLFactory().createParser(manifest.toFile())) {
      for (JsonNode doc : json.readValues(parser, JsonNode.class).readAll()) {
        if (!"KafkaUser".equals(doc.path("kind").asText())) {
          continue;
        }
        String user = doc.path("metadata").path("name").asText();
        List<AclBinding> acls = new ArrayList<>();
        for (JsonNode acl : doc.path("spec").path("authorization").path("acls")) {
          JsonNode resource = acl.path("resource");
          ResourcePattern pattern =
              new ResourcePattern(
                  resourceType(resource.path("type").asText()),
                  resource.path("name").asText("kafka-cluster"),
                  "prefix".equals(resource.path("patternType").asText("literal"))
                      ? PatternType.PREFIXED
                      : PatternType.LITERAL);
          AclPermissionType permission =
              "deny".equalsIgnoreCase(acl.path("type").asText("allow"))
                  ? AclPermissionType.DENY
                  : AclPermissionType.ALLOW;
          for (JsonNode op : acl.path("operations")) {
            acls.add(
                new AclBinding(
                    pattern,
                    new AccessControlEntry(
                        "User:" + user,
                        acl.path("host").asText("*"),
                        operation(op.asText()),
                        permission)));
          }
        }
        users.put(user, acls);
      }
    }
    return users;
  }

  private static ResourceType resourceType(String strimzi) {
    return switch (strimzi) {
      case "topic" -> ResourceType.TOPIC;
      case "group" -> ResourceType.GROUP;
      case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
      case "cluster" -> ResourceType.CLUSTER;
      default -> throw new IllegalArgumentException("unknown Strimzi ACL resource type " + strimzi);
    };
  }

  /** Strimzi writes operations in PascalCase ({@code IdempotentWrite}); Kafka's enum is snake. */
  private static AclOperation operation(String strimzi) {
    String snake = strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    return AclOperation.valueOf(snake);
  }
}
