package io.quasid.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** The repository's deployment files, read as the tools that apply them would read them. */
final class OpsFiles {

  /** The repository root (set by the module's surefire configuration). */
  static final Path ROOT =
      Path.of(System.getProperty("quasid.repo.root", "..")).toAbsolutePath().normalize();

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One document of a manifest file. */
  record Manifest(String file, int index, JsonNode doc) {
    String kind() {
      return doc.path("kind").asText();
    }

    String apiVersion() {
      return doc.path("apiVersion").asText();
    }

    String name() {
      return doc.path("metadata").path("name").asText();
    }

    String namespace() {
      return doc.path("metadata").path("namespace").asText();
    }

    @Override
    public String toString() {
      return file + "#" + index + " " + kind() + "/" + name();
    }
  }

  private OpsFiles() {}

  static String read(String relative) {
    try {
      return Files.readString(ROOT.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The documents of a multi-document YAML text; empty documents (comments only) are skipped. */
  static List<JsonNode> documents(String yaml) {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          out.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Every document of every file in ops/k8s, in file order. */
  static List<Manifest> k8sManifests() {
    List<Manifest> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(ROOT.resolve("ops/k8s"))) {
      for (Path f : files.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().toList()) {
        String rel = ROOT.relativize(f).toString();
        List<JsonNode> docs = documents(Files.readString(f));
        for (int i = 0; i < docs.size(); i++) {
          out.add(new Manifest(rel, i, docs.get(i)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static List<Manifest> ofKind(List<Manifest> all, String kind) {
    return all.stream().filter(m -> m.kind().equals(kind)).toList();
  }

  static Manifest one(List<Manifest> all, String kind) {
    List<Manifest> found = ofKind(all, kind);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + " in ops/k8s, found " + found);
    }
    return found.get(0);
  }

  static Manifest named(List<Manifest> all, String kind, String name) {
    return ofKind(all, kind).stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in ops/k8s"));
  }

  /**
   * A Compose file as Compose reads it: Jackson keeps aliases ({@code *anchor}) and merge keys
   * ({@code <<:}) unresolved, SnakeYAML resolves both.
   */
  static JsonNode composeDocument(String yaml) {
    return YAML.valueToTree(new Yaml().load(yaml));
  }

  /** The default value of a job option, read from the job's option classes. */
  static String jobDefault(String key) {
    Pattern p =
        Pattern.compile(
            "key\\(\""
                + Pattern.quote(key)
                + "\"\\)\\s*\\.\\w+\\(\\)\\s*\\.defaultValue\\(\"([^\"]*)\"\\)");
    for (String source :
        List.of(
            "flink-job/src/main/java/io/quasid/job/config/KafkaOptions.java",
            "flink-job/src/main/java/io/quasid/job/config/RuntimeOptions.java",
            "flink-job/src/main/java/io/quasid/job/config/InputOptions.java",
            "flink-job/src/main/java/io/quasid/job/config/ModelOptions.java",
            "flink-job/src/main/java/io/quasid/job/config/AssignmentOptions.java",
            "flink-job/src/main/java/io/quasid/job/config/QuasidJobOptions.java",
            "flink-job/src/main/java/io/quasid/job/training/TrainingOptions.java",
            "flink-job/src/main/java/io/quasid/job/training/PairOptions.java",
            "flink-job/src/main/java/io/quasid/job/training/BatchOptions.java",
            "flink-job/src/main/java/io/quasid/job/training/PublishOptions.java",
            "flink-job/src/main/java/io/quasid/job/training/FineTuneOptions.java")) {
      Matcher m = p.matcher(read(source));
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError("no string default for job option " + key);
  }

  /** A property of the root pom (versions are pinned there once). */
  static String rootPomProperty(String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(read("pom.xml"));
    if (!m.find()) {
      throw new AssertionError("no property " + name + " in pom.xml");
    }
    return m.group(1).trim();
  }
}
