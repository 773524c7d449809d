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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API, the few endpoints that registry framing
 * needs: a schema by id, and registering a schema under a subject. Apicurio Registry serves the
 * same API under {@code /apis/ccompat/v7}; give that as the URL, and ids that Apicurio's
 * serializers put in record headers ({@link HeaderSchemaId}) are resolved by its native API beside
 * it ({@code /apis/registry/v3/ids/globalIds/{id}} or {@code .../contentIds/{id}}, v2 on Apicurio
 * 2). Schemas by id never change, so they are cached for the life of the client. Serializable (its
 * configuration) so a Flink function can hold one; each deserialized copy opens its own HTTP
 * client.
 */
public final class SchemaRegistry implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /** Confluent's (and Apicurio's ccompat) error code for "no schema with this id". */
  private static final int SCHEMA_NOT_FOUND = 40403;

  /** What Apicurio's native API names a 404 for an id it does not have (not a wrong path). */
  private static final Set<String> APICURIO_NOT_FOUND =
      Set.of("ArtifactNotFoundException", "ContentNotFoundException", "VersionNotFoundException");

  private static final Pattern APICURIO_CCOMPAT = Pattern.compile("(.*)/apis/ccompat/v[67]");
  private static final List<String> NATIVE_API_VERSIONS = List.of("v3", "v2");

  private final String baseUrl;

  /** Apicurio's root URL when {@link #baseUrl} is its Confluent-compatible API, else null. */
  private final String apicurioRoot;

  private final Duration requestTimeout;
  private transient HttpClient http;
  private transient ObjectMapper json;
  private transient Map<Object, Schema> byId;
  private transient volatile String nativeApiVersion;

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
    Matcher apicurio = APICURIO_CCOMPAT.matcher(this.baseUrl);
    this.apicurioRoot = apicurio.matches() ? apicurio.group(1) : null;
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
    Schema schema = parseAvro(body.path("schema").asText(), "schema id " + id + " at " + baseUrl);
    cache().put(id, schema);
    return schema;
  }

  private static Schema parseAvro(String text, String what) throws UnknownSchemaIdException {
    try {
      return new Schema.Parser().parse(text);
    } catch (RuntimeException e) {
      throw new UnknownSchemaIdException(what + " does not parse as Avro: " + e.getMessage());
    }
  }

  /**
   * The writer schema named by an Apicurio id header, from Apicurio's native API beside the
   * configured Confluent-compatible one.
   *
   * @throws UnknownSchemaIdException Apicurio answered that it has no such id
   * @throws RegistryUnavailableException the registry could not answer; the call may succeed later
   * @throws RegistryRefusedException the URL is not Apicurio's {@code .../apis/ccompat/v7} (there
   *     is then no native API to ask), or any other refusal
   */
  public Schema schema(HeaderSchemaId id)
      throws UnknownSchemaIdException, RegistryUnavailableException {
    Schema cached = cache().get(id);
    if (cached != null) {
      return cached;
    }
    if (apicurioRoot == null) {
      throw new RegistryRefusedException(
          "a record names its schema in Apicurio's "
              + id.kind().header()
              + " header, which only Apicurio's own API resolves: registry.url must be Apicurio's"
              + " Confluent-compatible API (http://host:port/apis/ccompat/v7), got "
              + baseUrl);
    }
    // Apicurio 3 serves /apis/registry/v3, Apicurio 2 only v2: ask v3 first, remember the answer.
    HttpResponse<String> response = null;
    String path = null;
    for (String api : nativeApiVersion == null ? NATIVE_API_VERSIONS : List.of(nativeApiVersion)) {
      path = "/apis/registry/" + api + "/ids/" + id.kind().endpoint() + "/" + id.id();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(apicurioRoot + path))
              .timeout(requestTimeout)
              .header("Accept", "application/json")
              .GET()
              .build();
      response = send(request);
      boolean noSuchApi =
          response.statusCode() == 404 && "NotFoundException".equals(errorField(response, "name"));
      if (!noSuchApi) {
        nativeApiVersion = api;
        break;
      }
    }
    if (response.statusCode() == 404 && APICURIO_NOT_FOUND.contains(errorField(response, "name"))) {
      throw new UnknownSchemaIdException(
          "schema registry " + apicurioRoot + " has no " + id + ": " + response.body());
    }
    // The native API answers with the artifact itself, not wrapped as {"schema": ...}.
    String text = ok(response, "GET " + path).toString();
    Schema schema = parseAvro(text, id + " at " + apicurioRoot);
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

  private String errorField(HttpResponse<String> response, String field) {
    try {
      return mapper().readTree(response.body()).path(field).asText("");
    } catch (IOException e) {
      return "";
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

  private synchronized Map<Object, Schema> cache() {
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
