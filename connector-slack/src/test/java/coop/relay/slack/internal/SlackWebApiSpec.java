package coop.relay.slack.internal;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import coop.relay.support.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks every Web API request the connector sends, as an OkHttp interceptor: against
 * {@code shared/specs/slack/slack_web_openapi_v2.json} for the methods it has (HTTP method, content
 * type, parameters with their types, required ones, no unknown ones), and against the parameters
 * Slack documents for the methods that came later ({@code apps.connections.open},
 * {@code files.getUploadURLExternal}, {@code files.completeUploadExternal}) and the parameters added
 * to old methods since ({@code metadata}). JSON-valued parameters are checked against their
 * documented shape. Requests outside the Web API base (uploads, downloads, WebSockets) pass
 * unchecked.
 */
final class SlackWebApiSpec implements Interceptor {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Parameters Slack added to methods the 2020 spec has (https://api.slack.com/methods/...). */
  private static final Map<String, Map<String, String>> ADDED = Map.of(
      "chat.postMessage", Map.of("metadata", "string"),
      "chat.update", Map.of("metadata", "string"),
      "conversations.history", Map.of("include_all_metadata", "boolean"));
  /** Methods newer than the spec, with their documented parameters (name → type) and required ones. */
  private static final Map<String, Documented> DOCUMENTED = Map.of(
      "apps.connections.open", new Documented("post", Map.of(), Set.of()),
      "files.getUploadURLExternal", new Documented("post",
          Map.of("filename", "string", "length", "integer", "alt_txt", "string", "snippet_type", "string"),
          Set.of("filename", "length")),
      "files.completeUploadExternal", new Documented("post",
          Map.of("files", "string", "channel_id", "string", "channels", "string", "thread_ts", "string",
              "initial_comment", "string", "blocks", "string"),
          Set.of("files")));
  /** The documented shape of the JSON-valued parameters. */
  private static final Map<String, String> JSON_PARAMETERS = Map.of(
      "metadata", """
          {"type":"object","required":["event_type","event_payload"],"additionalProperties":false,
           "properties":{"event_type":{"type":"string","pattern":"^[A-Za-z0-9_]+$"},"event_payload":{"type":"object"}}}""",
      "files", """
          {"type":"array","minItems":1,"items":{"type":"object","required":["id"],"additionalProperties":false,
           "properties":{"id":{"type":"string","minLength":1},"title":{"type":"string"}}}}""");

  private final JsonNode paths;
  private final HttpUrl base;
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final Set<String> checked = ConcurrentHashMap.newKeySet();

  /** @param base the Web API base URL the connector is configured with */
  SlackWebApiSpec(HttpUrl base) throws IOException {
    this.paths = Json.mapper().readTree(Files.readAllBytes(SpecFiles.slack().resolve("slack_web_openapi_v2.json")))
        .path("paths");
    this.base = base;
  }

  /** Every violation seen so far, each naming the method. */
  List<String> violations() {
    return List.copyOf(violations);
  }

  /** The Web API methods checked so far. */
  Set<String> checkedMethods() {
    return Set.copyOf(checked);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    String method = webApiMethod(request.url());
    if (method != null) {
      checked.add(method);
      for (String violation : check(method, request)) {
        violations.add(method + ": " + violation);
      }
    }
    return chain.proceed(request);
  }

  /** The violations of one request. */
  List<String> check(String method, Request request) throws IOException {
    List<String> out = new ArrayList<>();
    String httpMethod = request.method().toLowerCase(java.util.Locale.ROOT);
    String authorization = request.header("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
      out.add("no bearer token in the Authorization header");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    if (httpMethod.equals("get")) {
      for (String name : request.url().queryParameterNames()) {
        parameters.put(name, request.url().queryParameter(name));
      }
    } else {
      readForm(request, parameters, out);
    }
    if (parameters.containsKey("token")) {
      out.add("the token is sent as a parameter; it belongs in the Authorization header");
    }
    JsonNode pathItem = paths.get("/" + method);
    Map<String, String> types = new LinkedHashMap<>();
    Set<String> required = new java.util.HashSet<>();
    if (pathItem != null) {
      JsonNode operation = pathItem.get(httpMethod);
      if (operation == null) {
        out.add("HTTP " + request.method() + " is not allowed; the spec has " + pathItem.propertyNames());
        return out;
      }
      checkContentType(request, operation.path("consumes"), out);
      for (JsonNode parameter : operation.path("parameters")) {
        String name = parameter.path("name").asString();
        if (name.equals("token")) {
          continue;
        }
        String in = parameter.path("in").asString();
        if (httpMethod.equals("get") ? !in.equals("query") : !in.equals("formData")) {
          continue;
        }
        types.put(name, parameter.path("type").asString("string"));
        if (parameter.path("required").asBoolean(false)) {
          required.add(name);
        }
      }
      types.putAll(ADDED.getOrDefault(method, Map.of()));
    } else {
      Documented documented = DOCUMENTED.get(method);
      if (documented == null) {
        out.add("neither the spec nor the documentation we check against has this method");
        return out;
      }
      if (!documented.httpMethod().equals(httpMethod)) {
        out.add("HTTP " + request.method() + " instead of " + documented.httpMethod());
      }
      types.putAll(documented.types());
      required.addAll(documented.required());
    }
    out.addAll(validate(schemaOf(types, required), coerce(parameters, types), "parameters"));
    for (Map.Entry<String, String> json : JSON_PARAMETERS.entrySet()) {
      String value = parameters.get(json.getKey());
      if (value != null) {
        JsonNode parsed;
        try {
          parsed = Json.mapper().readTree(value);
        } catch (RuntimeException e) {
          out.add(json.getKey() + " is not JSON");
          continue;
        }
        out.addAll(validate(Json.mapper().readTree(json.getValue()), parsed, json.getKey()));
      }
    }
    return out;
  }

  private @Nullable String webApiMethod(HttpUrl url) {
    if (!url.host().equals(base.host()) || url.port() != base.port()) {
      return null;
    }
    List<String> segments = url.pathSegments();
    List<String> baseSegments = base.pathSegments().stream().filter(s -> !s.isEmpty()).toList();
    if (segments.size() != baseSegments.size() + 1 || !segments.subList(0, baseSegments.size()).equals(baseSegments)) {
      return null;
    }
    String method = segments.get(segments.size() - 1);
    return method.matches("[a-z]+(\\.[a-zA-Z]+)+") ? method : null;
  }

  private static void readForm(Request request, Map<String, String> parameters, List<String> out) throws IOException {
    if (request.body() == null) {
      out.add("a POST without a body");
      return;
    }
    if (request.body() instanceof FormBody form) {
      for (int i = 0; i < form.size(); i++) {
        if (parameters.put(form.name(i), form.value(i)) != null) {
          out.add("parameter " + form.name(i) + " is sent twice");
        }
      }
      return;
    }
    MediaType type = request.body().contentType();
    Buffer buffer = new Buffer();
    request.body().writeTo(buffer);
    if (type != null && type.subtype().equals("json")) {
      JsonNode body = Json.mapper().readTree(buffer.readUtf8());
      for (String name : body.propertyNames()) {
        JsonNode value = body.get(name);
        parameters.put(name, value.isString() ? value.stringValue() : value.toString());
      }
      return;
    }
    out.add("a body of type " + type + " that is neither a form nor JSON");
  }

  private static void checkContentType(Request request, JsonNode consumes, List<String> out) {
    if (request.body() == null || !consumes.isArray()) {
      return;
    }
    MediaType type = request.body().contentType();
    String essence = type == null ? "" : type.type() + "/" + type.subtype();
    for (JsonNode accepted : consumes) {
      if (accepted.asString().equals(essence)) {
        return;
      }
    }
    out.add("content type " + essence + " is not among " + consumes);
  }

  private static ObjectNode schemaOf(Map<String, String> types, Set<String> required) {
    ObjectNode schema = NODES.objectNode();
    schema.put("type", "object");
    schema.put("additionalProperties", false);
    ObjectNode properties = schema.putObject("properties");
    types.forEach((name, type) -> properties.putObject(name).put("type", type));
    ArrayNode names = schema.putArray("required");
    required.forEach(names::add);
    return schema;
  }

  /** Form values are strings; each becomes the declared type when it is written as one. */
  private static ObjectNode coerce(Map<String, String> parameters, Map<String, String> types) {
    ObjectNode out = NODES.objectNode();
    parameters.forEach((name, value) -> {
      String type = types.getOrDefault(name, "string");
      switch (type) {
        case "boolean" -> {
          if (value.equals("true") || value.equals("false")) {
            out.put(name, Boolean.parseBoolean(value));
          } else {
            out.put(name, value);
          }
        }
        case "integer" -> {
          if (value.matches("-?\\d{1,18}")) {
            out.put(name, Long.parseLong(value));
          } else {
            out.put(name, value);
          }
        }
        case "number" -> {
          if (value.matches("-?\\d+(\\.\\d+)?")) {
            out.put(name, new BigDecimal(value));
          } else {
            out.put(name, value);
          }
        }
        default -> out.put(name, value);
      }
    });
    return out;
  }

  private List<String> validate(JsonNode schema, JsonNode value, String where) {
    Schema compiled = schemas.computeIfAbsent(schema.toString(), key -> registry.getSchema(schema));
    List<String> out = new ArrayList<>();
    for (Error error : compiled.validate(value)) {
      out.add(where + " " + error.getInstanceLocation() + ": " + error.getMessage());
    }
    return out;
  }

  private record Documented(String httpMethod, Map<String, String> types, Set<String> required) {}
}
