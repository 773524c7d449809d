package io.quasid.job;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Apicurio Registry in a child JVM (the runnable distribution the build unpacks into
 * target/apicurio, in-memory storage, a free port), reached through its Confluent-compatible API,
 * and through its own API where a test registers as Apicurio's serializers do.
 */
final class ApicurioRegistry implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("Listening on: (http://[0-9.:]+)");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final Process process;
  private final String root;

  private ApicurioRegistry(Process process, String root) {
    this.process = process;
    this.root = root;
  }

  static ApicurioRegistry start() throws Exception {
    Path runner = Path.of(System.getProperty("apicurio.runner", "target/apicurio/missing.jar"));
    if (!Files.isRegularFile(runner)) {
      throw new IllegalStateException(
          runner + " is missing: run through `mvn verify`, which unpacks Apicurio there");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-XX:ActiveProcessorCount=2",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=0",
                    "-jar",
                    runner.toString()))
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> listening = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    listening.complete(m.group(1));
                  }
                }
                listening.completeExceptionally(
                    new IOException("Apicurio exited before listening"));
              } catch (IOException e) {
                listening.completeExceptionally(e);
              }
            },
            "apicurio-log");
    reader.setDaemon(true);
    reader.start();
    try {
      String root = listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      ApicurioRegistry registry = new ApicurioRegistry(process, root);
      registry.awaitReady();
      return registry;
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /**
   * Registers {@code schema} as a new artifact through Apicurio's own API, as its serializers do
   * (group {@code default}), and returns {@code {globalId, contentId}}.
   */
  long[] registerArtifact(String artifactId, org.apache.avro.Schema schema) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(root + "/apis/registry/v2/groups/default/artifacts"))
                    .header("Content-Type", "application/json")
                    .header("X-Registry-ArtifactId", artifactId)
                    .header("X-Registry-ArtifactType", "AVRO")
                    .POST(HttpRequest.BodyPublishers.ofString(schema.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("Apicurio refused the artifact: " + r.body());
    }
    com.fasterxml.jackson.databind.JsonNode meta =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    return new long[] {meta.path("globalId").asLong(), meta.path("contentId").asLong()};
  }

  /** Its Confluent-compatible API, the URL a Confluent client is given. */
  String ccompatUrl() {
    return root + "/apis/ccompat/v7";
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not accepting yet.
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Apicurio did not answer at " + ccompatUrl());
      }
      Thread.sleep(200);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
