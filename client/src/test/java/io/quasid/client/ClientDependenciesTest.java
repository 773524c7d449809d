package io.quasid.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Holds the client's runtime classpath to what it uses (Avro, kafka-clients, slf4j-api and their
 * own dependencies). A recommender service that adds the client must not inherit Flink, TensorFlow,
 * Kafka's broker or a logging backend; before this module existed it got 151 jars.
 */
class ClientDependenciesTest {

  /** groupId:artifactId prefixes allowed at runtime; anything else fails the build. */
  private static final List<String> ALLOWED =
      List.of(
          "io.quasid:quasid-schemas",
          "org.apache.avro:avro",
          "com.fasterxml.jackson.core:",
          "org.apache.commons:commons-compress",
          "commons-io:commons-io",
          "commons-codec:commons-codec",
          "org.apache.commons:commons-lang3",
          "org.apache.kafka:kafka-clients",
          "com.github.luben:zstd-jni",
          "at.yawk.lz4:lz4-java",
          "org.lz4:lz4-java",
          "org.xerial.snappy:snappy-java",
          "org.slf4j:slf4j-api");

  /** Maven colours the list when it runs in a terminal. */
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*m");

  /** `mvn dependency:list` lines look like ` group:artifact:jar:version:scope -- module x`. */
  private static final Pattern COORDINATE =
      Pattern.compile(
          "^\\s*([\\w.\\-]+):([\\w.\\-]+):[\\w\\-]+:(?:[\\w.\\-]+:)?[\\w.\\-]+:(compile|runtime)\\b");

  @Test
  void runtimeClasspathHoldsOnlyAvroKafkaClientsAndSlf4jApi() throws IOException {
    List<String> runtime = runtimeDependencies();

    assertThat(runtime)
        .as("the client's runtime dependencies (target/runtime-dependencies.txt)")
        .contains("org.apache.kafka:kafka-clients", "org.apache.avro:avro", "org.slf4j:slf4j-api")
        .allSatisfy(
            dep ->
                assertThat(ALLOWED.stream().anyMatch(dep::startsWith))
                    .as("%s is not on the client's allow-list", dep)
                    .isTrue());
  }

  private static List<String> runtimeDependencies() throws IOException {
    Path listed = Path.of("target", "runtime-dependencies.txt");
    assertThat(listed)
        .as("written by maven-dependency-plugin:list in generate-test-resources")
        .exists();
    return Files.readAllLines(listed).stream()
        .map(line -> ANSI.matcher(line).replaceAll(""))
        .map(COORDINATE::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1) + ":" + m.group(2))
        .toList();
  }
}
