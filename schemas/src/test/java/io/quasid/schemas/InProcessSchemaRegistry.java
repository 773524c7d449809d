package io.quasid.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;

/**
 * A registry speaking the two endpoints of Confluent's Schema Registry REST API that registry
 * framing uses ({@code GET /schemas/ids/{id}}, {@code POST /subjects/{subject}/versions}), with its
 * error bodies, on the JDK's HTTP server, at its root and, as Apicurio serves them, under {@code
 * /apis/ccompat/v7} beside Apicurio 3's {@code /apis/registry/v3/ids/{globalIds,contentIds}/{id}}
 * (one id space here: a schema's global and content id are the same). Unit tests run against this
 * one; the job's ITCase runs a real Apicurio. {@link #outage} makes it answer 503 the way a
 * registry behind a failing load balancer does.
 */
public final class InProcessSchemaRegistry implements AutoCloseable {

  private static final String CCOMPAT = "/apis/ccompat/v7";
  private static final String NATIVE_IDS = "/apis/registry/v3/ids/";

  private final HttpServer server;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
  private final Map<String, List<Integer>> subjects = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger(100);
  private final AtomicBoolean outage = new AtomicBoolean();
  private final AtomicLong schemaFetches = new AtomicLong();

  public InProcessSchemaRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The URL an Apicurio user configures: its Confluent-compatible API. */
  public String apicurioUrl() {
    return url() + CCOMPAT;
  }

  /** Registers {@code schema} under {@code subject} as a producer's serializer would. */
  public synchronized int register(String subject, Schema schema) {
    String text = schema.toString();
    for (Map.Entry<Integer, String> e : schemas.entrySet()) {
      if (new Schema.Parser().parse(e.getValue()).equals(schema)) {
        subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(e.getKey());
        return e.getKey();
      }
    }
    int id = nextId.getAndIncrement();
    schemas.put(id, text);
    subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
    return id;
  }

  public List<Integer> idsOf(String subject) {
    return List.copyOf(subjects.getOrDefault(subject, List.of()));
  }

  public void outage(boolean down) {
    outage.set(down);
  }

  public long schemaFetches() {
    return schemaFetches.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (outage.get()) {
        reply(exchange, 503, error(50003, "upstream unavailable"));
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith(CCOMPAT + "/")) {
        path = path.substring(CCOMPAT.length());
      }
      String method = exchange.getRequestMethod();
      if ("GET".equals(method) && path.matches(NATIVE_IDS + "(globalIds|contentIds)/\\d+")) {
        schemaFetches.incrementAndGet();
        String schema = schemas.get(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)));
        if (schema == null) {
          reply(
              exchange,
              404,
              json.createObjectNode()
                  .put("error_code", 404)
                  .put("name", "ArtifactNotFoundException")
                  .put("message", "No artifact with ID")
                  .toString());
        } else {
          reply(exchange, 200, schema);
        }
      } else if ("GET".equals(method) && path.startsWith("/schemas/ids/")) {
        schemaFetches.incrementAndGet();
        String schema = schemas.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
        if (schema == null) {
          reply(exchange, 404, error(40403, "Schema not found"));
        } else {
          reply(exchange, 200, json.createObjectNode().put("schema", schema).toString());
        }
      } else if ("POST".equals(method)
          && path.startsWith("/subjects/")
          && path.endsWith("/versions")) {
        String subject =
            URLDecoder.decode(
                path.substring("/subjects/".length(), path.length() - "/versions".length()),
                StandardCharsets.UTF_8);
        JsonNode body = json.readTree(exchange.getRequestBody());
        int id = register(subject, new Schema.Parser().parse(body.path("schema").asText()));
        reply(exchange, 200, json.createObjectNode().put("id", id).toString());
      } else {
        reply(exchange, 404, error(404, "HTTP 404 Not Found"));
      }
    }
  }

  private String error(int code, String message) {
    return json.createObjectNode().put("error_code", code).put("message", message).toString();
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
