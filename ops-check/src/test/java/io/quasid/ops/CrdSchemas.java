package io.quasid.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Validates Kubernetes documents as an API server with these CRDs installed would, as far as an
 * OpenAPI schema can tell: every custom resource against the {@code openAPIV3Schema} of its CRD
 * version (vendored under {@code src/test/resources/crds}), core kinds by apiVersion, kind and
 * metadata. Unknown fields are errors, as with {@code kubectl apply --validate=strict}: the API
 * server would drop them silently (pruning), which is how a misspelt setting goes unnoticed. Not
 * checked: CEL rules ({@code x-kubernetes-validations}) and admission webhooks.
 */
final class CrdSchemas {

  /** One served version of a CRD. */
  private record Served(String scope, Schema schema) {}

  /** Core kinds the manifests may use, by apiVersion/kind, and whether they are namespaced. */
  private static final Map<String, Boolean> CORE_KINDS =
      Map.of(
          "v1/PersistentVolumeClaim", true,
          "v1/Secret", true,
          "v1/ConfigMap", true,
          "v1/Service", true,
          "v1/ServiceAccount", true,
          "v1/Namespace", false,
          "apps/v1/Deployment", true);

  private static final Set<String> ACCESS_MODES =
      Set.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");

  /** RFC 1123 subdomain: what Kubernetes accepts as most resources' names. */
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** group/version/kind -> schema; group/kind -> every version the CRD lists as served. */
  private final Map<String, Served> served = new HashMap<>();

  private final Map<String, Set<String>> versionsByKind = new HashMap<>();

  private CrdSchemas() {}

  /** Every CRD under the classpath folder {@code crds/}. */
  static CrdSchemas vendored() {
    try {
      return load(Path.of(CrdSchemas.class.getResource("/crds").toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static CrdSchemas load(Path dir) {
    CrdSchemas crds = new CrdSchemas();
    SchemaRegistry registry = SchemaRegistry.withDialect(Dialects.getOpenApi30());
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().toList()) {
        for (JsonNode doc : OpsFiles.documents(Files.readString(f))) {
          if (doc.path("kind").asText().equals("CustomResourceDefinition")) {
            crds.add(doc, registry);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return crds;
  }

  private void add(JsonNode crd, SchemaRegistry registry) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText();
    String kind = spec.path("names").path("kind").asText();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean()) {
        continue;
      }
      String v = version.path("name").asText();
      ObjectNode root = version.path("schema").path("openAPIV3Schema").deepCopy();
      // Every object has these, whether its CRD's schema lists them or not (Flink's does not).
      ObjectNode properties =
          root.has("properties")
              ? (ObjectNode) root.get("properties")
              : root.putObject("properties");
      properties.putIfAbsent("apiVersion", root.objectNode().put("type", "string"));
      properties.putIfAbsent("kind", root.objectNode().put("type", "string"));
      properties.putIfAbsent("metadata", root.objectNode().put("type", "object"));
      JsonNode schema = strict(root);
      served.put(
          group + "/" + v + "/" + kind,
          new Served(spec.path("scope").asText(), registry.getSchema(schema)));
      versionsByKind.computeIfAbsent(group + "/" + kind, k -> new TreeSet<>()).add(v);
    }
  }

  /** The CRD kinds loaded, as group/version/kind. */
  Set<String> kinds() {
    return new TreeSet<>(served.keySet());
  }

  /**
   * Makes every object schema that lists its properties refuse others, unless it says that unknown
   * fields are kept ({@code x-kubernetes-preserve-unknown-fields}) or types its map values ({@code
   * additionalProperties}).
   */
  static JsonNode strict(JsonNode schema) {
    if (!schema.isObject()) {
      return schema;
    }
    ObjectNode s = (ObjectNode) schema;
    if (s.has("properties")
        && !s.has("additionalProperties")
        && !s.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      s.put("additionalProperties", false);
    }
    s.path("properties").forEach(CrdSchemas::strict);
    strict(s.path("items"));
    strict(s.path("additionalProperties"));
    for (String composite : List.of("allOf", "anyOf", "oneOf")) {
      s.path(composite).forEach(CrdSchemas::strict);
    }
    strict(s.path("not"));
    return s;
  }

  /** What is wrong with the document; empty when it would be accepted. */
  List<String> problems(JsonNode doc) {
    List<String> out = new ArrayList<>();
    String apiVersion = doc.path("apiVersion").asText();
    String kind = doc.path("kind").asText();
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      out.add("apiVersion and kind are required");
      return out;
    }
    Boolean coreNamespaced = CORE_KINDS.get(apiVersion + "/" + kind);
    if (coreNamespaced != null) {
      checkMetadata(doc, coreNamespaced, out);
      if (kind.equals("PersistentVolumeClaim")) {
        checkPvc(doc, out);
      }
      return out;
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    Served s = served.get(apiVersion + "/" + kind);
    if (s == null) {
      Set<String> versions = versionsByKind.get(group + "/" + kind);
      out.add(
          versions == null
              ? "no CRD for " + apiVersion + " " + kind + " among the vendored ones " + kinds()
              : apiVersion + " is not served for " + kind + "; served versions: " + versions);
      return out;
    }
    checkMetadata(doc, s.scope().equals("Namespaced"), out);
    for (Error e : s.schema().validate(doc)) {
      out.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    return out;
  }

  private static void checkMetadata(JsonNode doc, boolean namespaced, List<String> out) {
    JsonNode metadata = doc.path("metadata");
    String name = metadata.path("name").asText();
    if (name.isEmpty()) {
      out.add("metadata.name is required");
    } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      out.add("metadata.name '" + name + "' is not a valid Kubernetes name");
    }
    // Namespaced resources name their namespace: applying a file must not depend on the
    // current kubectl context.
    if (namespaced && metadata.path("namespace").asText().isEmpty()) {
      out.add("metadata.namespace is required for a namespaced " + doc.path("kind").asText());
    }
    if (!namespaced && metadata.has("namespace")) {
      out.add("a cluster-scoped " + doc.path("kind").asText() + " has no namespace");
    }
  }

  private static void checkPvc(JsonNode doc, List<String> out) {
    JsonNode modes = doc.path("spec").path("accessModes");
    if (!modes.isArray() || modes.isEmpty()) {
      out.add("spec.accessModes is required");
    }
    modes.forEach(
        m -> {
          if (!ACCESS_MODES.contains(m.asText())) {
            out.add("spec.accessModes: unknown mode " + m);
          }
        });
    if (doc.path("spec").path("resources").path("requests").path("storage").asText().isEmpty()) {
      out.add("spec.resources.requests.storage is required");
    }
  }
}
