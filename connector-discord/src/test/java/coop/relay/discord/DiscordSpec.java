package coop.relay.discord;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks HTTP requests against Discord's OpenAPI spec in {@code shared/specs/discord/openapi.json}:
 * the path matches a route of the spec, the method exists there, path and query parameters are
 * declared and match their schemas, and the JSON body (or a multipart body's {@code payload_json})
 * validates against the request body schema. Message {@code content} is held to the developer docs'
 * 2000 characters (the spec says 4000 for bot messages; see the specs README).
 *
 * <p>As an OkHttp {@link #interceptor(String)}, it records the violations of every request the
 * connector sends, for the test to assert that there were none.
 */
final class DiscordSpec {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final int CONTENT_LIMIT = 2000;
  private static final java.util.regex.Pattern PART_NAME = java.util.regex.Pattern.compile("(?:^|[;\\s])name=\"([^\"]*)\"");
  private static volatile @Nullable DiscordSpec loaded;

  private final JsonNode paths;
  private final JsonNode components;
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private DiscordSpec(JsonNode root) {
    this.paths = root.get("paths");
    this.components = root.get("components");
  }

  /** The spec, found by walking up from the working directory to a folder holding {@code shared/specs}. */
  static DiscordSpec load() {
    DiscordSpec spec = loaded;
    if (spec != null) {
      return spec;
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/specs/discord/openapi.json");
      if (Files.isRegularFile(candidate)) {
        try {
          spec = new DiscordSpec(MAPPER.readTree(Files.readString(candidate)));
          loaded = spec;
          return spec;
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + candidate, e);
        }
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("shared/specs/discord/openapi.json not found above "
        + Path.of("").toAbsolutePath() + "; the repository expects shared/ beside it");
  }

  /** An interceptor that checks every request below {@code basePath} (e.g. {@code /api/v10}) and records violations. */
  Recorder interceptor(String basePath) {
    return new Recorder(basePath);
  }

  /** Records the violations of the requests it sees; passes every request on unchanged. */
  final class Recorder implements Interceptor {
    private final String basePath;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<String> checked = new CopyOnWriteArrayList<>();

    Recorder(String basePath) {
      this.basePath = basePath;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
      Request request = chain.request();
      String path = request.url().encodedPath();
      if (path.startsWith(basePath + "/")) {
        List<String> found = check(request, path.substring(basePath.length()));
        checked.add(request.method() + " " + path);
        for (String violation : found) {
          violations.add(request.method() + " " + path + ": " + violation);
        }
      }
      return chain.proceed(request);
    }

    /** Every violation seen so far. */
    List<String> violations() {
      return List.copyOf(violations);
    }

    /** The requests checked so far, as {@code METHOD path}. */
    List<String> checked() {
      return List.copyOf(checked);
    }
  }

  /** The violations of {@code request}, whose path below the API base is {@code path}; empty when it conforms. */
  List<String> check(Request request, String path) {
    List<String> out = new ArrayList<>();
    String[] segments = path.substring(1).split("/", -1);
    String template = match(segments);
    if (template == null) {
      out.add("no route of the spec matches " + path);
      return out;
    }
    JsonNode route = paths.get(template);
    JsonNode operation = route.get(request.method().toLowerCase(java.util.Locale.ROOT));
    if (operation == null) {
      out.add("the spec has no " + request.method() + " for " + template);
      return out;
    }
    List<JsonNode> parameters = new ArrayList<>();
    route.path("parameters").forEach(parameters::add);
    operation.path("parameters").forEach(parameters::add);
    String[] names = template.substring(1).split("/", -1);
    for (int i = 0; i < names.length; i++) {
      if (names[i].startsWith("{")) {
        String name = names[i].substring(1, names[i].length() - 1);
        JsonNode parameter = parameter(parameters, name, "path");
        String value = URLDecoder.decode(segments[i], StandardCharsets.UTF_8);
        if (parameter == null) {
          out.add("path parameter " + name + " is not declared");
        } else {
          out.addAll(validate(parameter.get("schema"), MAPPER.getNodeFactory().stringNode(value), "path " + name));
        }
      }
    }
    HttpUrl url = request.url();
    for (String name : url.queryParameterNames()) {
      JsonNode parameter = parameter(parameters, name, "query");
      if (parameter == null) {
        out.add("query parameter " + name + " is not declared");
        continue;
      }
      for (String value : url.queryParameterValues(name)) {
        out.addAll(validate(parameter.get("schema"), queryValue(parameter.get("schema"), value), "query " + name));
      }
    }
    out.addAll(checkBody(operation, request.body()));
    return out;
  }

  private @Nullable String match(String[] segments) {
    String best = null;
    int bestLiterals = -1;
    for (Map.Entry<String, JsonNode> entry : paths.properties()) {
      String[] template = entry.getKey().substring(1).split("/", -1);
      if (template.length != segments.length) {
        continue;
      }
      int literals = 0;
      boolean matches = true;
      for (int i = 0; i < template.length; i++) {
        if (template[i].startsWith("{")) {
          continue;
        }
        if (!template[i].equals(URLDecoder.decode(segments[i], StandardCharsets.UTF_8))) {
          matches = false;
          break;
        }
        literals++;
      }
      if (matches && literals > bestLiterals) {
        best = entry.getKey();
        bestLiterals = literals;
      }
    }
    return best;
  }

  private static @Nullable JsonNode parameter(List<JsonNode> parameters, String name, String in) {
    for (JsonNode parameter : parameters) {
      if (name.equals(parameter.path("name").asString()) && in.equals(parameter.path("in").asString())) {
        return parameter;
      }
    }
    return null;
  }

  private static JsonNode queryValue(JsonNode schema, String value) {
    String type = schema.path("type").isString() ? schema.path("type").asString() : "";
    if (type.equals("boolean") && (value.equals("true") || value.equals("false"))) {
      return MAPPER.getNodeFactory().booleanNode(Boolean.parseBoolean(value));
    }
    if (type.equals("integer") && value.matches("-?\\d+")) {
      return MAPPER.getNodeFactory().numberNode(Long.parseLong(value));
    }
    return MAPPER.getNodeFactory().stringNode(value);
  }

  private List<String> checkBody(JsonNode operation, @Nullable RequestBody body) {
    JsonNode requestBody = operation.get("requestBody");
    boolean empty = body == null || contentLength(body) == 0;
    if (requestBody == null) {
      return empty ? List.of() : List.of("the spec declares no request body, but one was sent");
    }
    if (empty) {
      return requestBody.path("required").asBoolean(false) ? List.of("the request body is required") : List.of();
    }
    JsonNode content = requestBody.path("content");
    try {
      if (body instanceof MultipartBody multipart) {
        if (!content.has("multipart/form-data")) {
          return List.of("the spec does not accept multipart/form-data here");
        }
        List<String> out = new ArrayList<>();
        JsonNode payload = null;
        for (MultipartBody.Part part : multipart.parts()) {
          String disposition = part.headers() == null ? "" : String.valueOf(part.headers().get("Content-Disposition"));
          java.util.regex.Matcher named = PART_NAME.matcher(disposition);
          String name = named.find() ? named.group(1) : "";
          if (name.equals("payload_json")) {
            Buffer buffer = new Buffer();
            part.body().writeTo(buffer);
            payload = MAPPER.readTree(buffer.readUtf8());
          } else if (!name.matches("files\\[[0-9]]")) {
            out.add("multipart part " + name + " is not declared");
          }
        }
        if (payload == null) {
          out.add("multipart body without payload_json");
        } else {
          out.addAll(validateBody(content.path("application/json").path("schema"), payload));
        }
        return out;
      }
      if (!content.has("application/json")) {
        return List.of("the spec does not accept application/json here");
      }
      Buffer buffer = new Buffer();
      body.writeTo(buffer);
      return validateBody(content.path("application/json").path("schema"), MAPPER.readTree(buffer.readUtf8()));
    } catch (IOException | RuntimeException e) {
      return List.of("unreadable body: " + e);
    }
  }

  private List<String> validateBody(JsonNode schema, JsonNode value) {
    List<String> out = new ArrayList<>(schema.has("anyOf") ? validateUnion(schema.get("anyOf"), value)
        : validate(schema, value, "body"));
    JsonNode text = value.path("content");
    if (text.isString() && text.asString().codePointCount(0, text.asString().length()) > CONTENT_LIMIT) {
      out.add("body content has " + text.asString().length() + " characters, more than Discord's " + CONTENT_LIMIT);
    }
    return out;
  }

  /**
   * A body for a union of request schemas (webhook execution) must be valid against a branch that
   * declares every field it has: otherwise a loose branch without {@code username} would let any
   * username through.
   */
  private List<String> validateUnion(JsonNode branches, JsonNode value) {
    List<String> first = null;
    for (JsonNode branch : branches) {
      JsonNode resolved = resolve(branch);
      JsonNode properties = resolved.path("properties");
      boolean declaresAll = true;
      for (String name : value.propertyNames()) {
        declaresAll &= properties.has(name);
      }
      if (!declaresAll) {
        continue;
      }
      List<String> violations = validate(branch, value, "body");
      if (violations.isEmpty()) {
        return violations;
      }
      if (first == null) {
        first = violations;
      }
    }
    return first != null ? first : List.of("body has fields that no branch of the request schema declares");
  }

  private JsonNode resolve(JsonNode schema) {
    String ref = schema.path("$ref").asString("");
    return ref.startsWith("#/components/schemas/") ? components.path("schemas").path(ref.substring(21)) : schema;
  }

  private static long contentLength(RequestBody body) {
    try {
      return body.contentLength();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The violations of {@code value} against {@code schema} (which may refer to the spec's components). */
  List<String> validate(JsonNode schema, JsonNode value, String where) {
    Schema compiled = schemas.computeIfAbsent(schema.toString(), key -> {
      ObjectNode root = MAPPER.createObjectNode();
      root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
      root.set("allOf", MAPPER.createArrayNode().add(schema));
      root.set("components", components);
      return registry.getSchema(root);
    });
    List<String> out = new ArrayList<>();
    for (Error error : compiled.validate(value)) {
      out.add(where + " " + error.getInstanceLocation() + ": " + error.getMessage());
    }
    return out;
  }
}
