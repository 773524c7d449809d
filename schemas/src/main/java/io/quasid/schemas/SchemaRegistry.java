package io.quasid.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API, the few endpoints that registry framing
 * needs: a schema by id, and registering a schema under a subject. Apicurio Registry 3 serves the
 * same API under {@code /apis/ccompat/v7}; give that as the URL. Schemas by id never change, so
 * they are cached for the life of the client. Serializable (its configuration) so a Flink function
 * can hold one; each deserialized copy opens its own HTTP client.
 */
public final class SchemaRegistry implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /** Confluent's (and Apicurio's ccompat) error code for "no schema with this id". */
  private static final int SCHEMA_NOT_FOUND = 40403;

  private final String baseUrl;
  private final Duration requestTimeout;
  private transient HttpClient http;
  private transient ObjectMapper json;
  private transient Map<Integer, Schema> byId;

  /**
   * @param baseUrl the registry's base URL, e.g. {@code http://registry:8081} or Apicurio's {@code
   *     http://registry:8080/apis/ccompat/v7}
   * @param requestTimeout connect and request timeout of each HTTP call
   */
  public SchemaRegistry(String baseUrl, Duration requestTimeout) {
    URI uri = URI.create(baseUrl);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "schema registry URL must be http(s)://..., got " + baseUrl);
    }
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.requestTimeout = requestTimeout;
  }

  /**
   * The writer schema registered under {@code id}.
   *
   * @throws UnknownSchemaIdException the registry answered that no such id exists (404): the record
   *     cannot be decoded, now or later
   * @throws RegistryUnavailableException the registry could not answer (network, timeout, 5xx, 408,
   *     429): the same call may succeed later
   * @throws RegistryRefusedException any other refusal (a wrong URL, credentials): unchecked
   */
  public Schema schema(int id) throws UnknownSchemaIdException, RegistryUnavailableException {
    Schema cached = cache().get(id);
    if (cached != null) {
      return cached;
    }
    HttpResponse<String> response = send(request("/schemas/ids/" + id).GET().build());
    if (response.statusCode() == 404 && errorCode(response) == SCHEMA_NOT_FOUND) {
      throw new UnknownSchemaIdException(
          "schema registry " + baseUrl + " has no schema id " + id + ": " + response.body());
    }
    JsonNode body = ok(response, "GET /schemas/ids/" + id);
    String type = body.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new UnknownSchemaIdException(
          "schema id " + id + " at " + baseUrl + " is a " + type + " schema, not Avro");
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(body.path("schema").asText());
    } catch (RuntimeException e) {
      throw new UnknownSchemaIdException(
          "schema id " + id + " at " + baseUrl + " does not parse as Avro: " + e.getMessage());
    }
    cache().put(id, schema);
    return schema;
  }

  /**
   * Registers {@code schema} under {@code subject} and returns its id; the registry returns the
   * existing id when the schema is already registered there.
   */
  public int register(String subject, Schema schema) throws RegistryUnavailableException {
    String path = "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions";
    String payload = mapper().createObjectNode().put("schema", schema.toString()).toString();
    HttpResponse<String> response =
        send(
            request(path)
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build());
    JsonNode body = ok(response, "POST " + path);
    if (!body.path("id").canConvertToInt()) {
      throw new RegistryUnavailableException(
          "POST " + path + " at " + baseUrl + " answered without an id: " + response.body(), null);
    }
    int id = body.path("id").intValue();
    cache().put(id, schema);
    return id;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(requestTimeout)
        .header("Accept", CONTENT_TYPE + ", application/json");
  }

  private HttpResponse<String> send(HttpRequest request) throws RegistryUnavailableException {
    try {
      return client().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RegistryUnavailableException(
          request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException(
          request.method() + " " + request.uri() + " interrupted", e);
    }
  }

  /**
   * A 2xx reply's JSON. 5xx, 408 and 429 may pass; any other status will not (a 404 without error
   * code 40403: a wrong URL or path prefix; 401/403: credentials; 3xx: a redirect the client does
   * not follow), so it fails loudly instead of being retried forever or dead-lettering every
   * record.
   */
  private JsonNode ok(HttpResponse<String> response, String call)
      throws RegistryUnavailableException {
    int status = response.statusCode();
    if (status / 100 != 2) {
      String message =
          call + " at " + baseUrl + " answered HTTP " + status + ": " + response.body();
      if (status / 100 == 5 || status == 408 || status == 429) {
        throw new RegistryUnavailableException(message, null);
      }
      throw new RegistryRefusedException(
          message + " (check registry.url: Apicurio's Confluent API is under /apis/ccompat/v7)");
    }
    try {
      return mapper().readTree(response.body());
    } catch (IOException e) {
      throw new RegistryUnavailableException(
          call + " at " + baseUrl + " answered with no JSON: " + response.body(), e);
    }
  }

  private int errorCode(HttpResponse<String> response) {
    try {
      return mapper().readTree(response.body()).path("error_code").asInt(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  private synchronized HttpClient client() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }
    return http;
  }

  private synchronized ObjectMapper mapper() {
    if (json == null) {
      json = new ObjectMapper();
    }
    return json;
  }

  private synchronized Map<Integer, Schema> cache() {
    if (byId == null) {
      byId = new ConcurrentHashMap<>();
    }
    return byId;
  }

  /** The registry answered, and there is no such schema: records that name it are undecodable. */
  public static final class UnknownSchemaIdException extends Exception {
    UnknownSchemaIdException(String message) {
      super(message);
    }
  }

  /**
   * The registry answered with a refusal no retry will change (a wrong URL, missing credentials): a
   * configuration error, so it is unchecked and fails whatever asked.
   */
  public static final class RegistryRefusedException extends RuntimeException {
    RegistryRefusedException(String message) {
      super(message);
    }
  }

  /** The registry did not answer usefully; the same call may succeed later. */
  public static final class RegistryUnavailableException extends Exception {
    RegistryUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
