package coop.relay.sandbox.discord;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discord's OpenAPI 3.1 spec ({@code shared/specs/discord/openapi.json}) as a validator: finds the
 * operation of a request by method and path, and checks a response body against the JSON Schema the
 * spec gives for its status, with every {@code $ref} resolved inside the spec document.
 */
final class DiscordSpec {
  private static final String IRI = "https://spec.sandbox.invalid/discord/openapi.json";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static volatile @Nullable DiscordSpec instance;

  private final JsonNode root;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private DiscordSpec(String text) {
    this.root = JSON.readTree(text);
    this.registry = SchemaRegistry.withDefaultDialect(
        SpecificationVersion.DRAFT_2020_12, b -> b.schemas(Map.of(IRI, text)));
  }

  /** Loads the spec once, looking for {@code shared/specs} upwards from the working directory. */
  static DiscordSpec load() {
    DiscordSpec spec = instance;
    if (spec != null) {
      return spec;
    }
    synchronized (DiscordSpec.class) {
      if (instance == null) {
        instance = new DiscordSpec(read());
      }
      return instance;
    }
  }

  private static String read() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/specs/discord/openapi.json");
      if (Files.isRegularFile(candidate)) {
        try {
          return Files.readString(candidate);
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + candidate, e);
        }
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("shared/specs/discord/openapi.json not found above " + Path.of("").toAbsolutePath());
  }

  /** The violations of {@code value} against {@code #/components/schemas/<name>}; empty when valid. */
  List<String> check(String schemaName, JsonNode value) {
    return validate("#/components/schemas/" + schemaName, value);
  }

  private List<String> validate(String pointer, JsonNode value) {
    Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(IRI + p)));
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(value)) {
      out.add(e.toString());
    }
    return out;
  }

  /** The spec's path template for a concrete API path like {@code /channels/123/messages}, or null. */
  @Nullable String template(String path) {
    String[] have = path.substring(1).split("/", -1);
    String best = null;
    int bestLiterals = -1;
    for (var it = root.get("paths").propertyNames().iterator(); it.hasNext(); ) {
      String template = it.next();
      String[] want = template.substring(1).split("/", -1);
      if (want.length != have.length) {
        continue;
      }
      int literals = 0;
      boolean ok = true;
      for (int i = 0; i < want.length && ok; i++) {
        if (want[i].startsWith("{")) {
          continue;
        }
        ok = want[i].equals(have[i]);
        literals++;
      }
      if (ok && literals > bestLiterals) {
        best = template;
        bestLiterals = literals;
      }
    }
    return best;
  }

  /**
   * The violations of a response to {@code method path}: the status must be one the operation
   * declares (or its class, {@code 4XX}) and the body must match its schema; a 204 must be declared.
   */
  List<String> checkResponse(String method, String path, int status, @Nullable JsonNode body) {
    String template = template(path);
    if (template == null) {
      // Unknown paths answer Discord's generic 404, which has the spec's Error shape.
      return status == 404 && body != null ? check("Error", body) : List.of("no path in the spec matches " + path);
    }
    if (status >= 400 && body != null) {
      body = docsErrorCodes(body);
    }
    JsonNode op = root.get("paths").get(template).get(method.toLowerCase(java.util.Locale.ROOT));
    if (op == null) {
      return status == 405 && body != null ? check("Error", body) : List.of("the spec has no " + method + " " + template);
    }
    JsonNode responses = op.get("responses");
    String key = Integer.toString(status);
    JsonNode response = responses.get(key);
    String pointer = "#/paths/" + escape(template) + "/" + method.toLowerCase(java.util.Locale.ROOT) + "/responses/" + key;
    if (response == null) {
      key = status / 100 + "XX";
      response = responses.get(key);
      pointer = pointer.substring(0, pointer.lastIndexOf('/') + 1) + key;
    }
    if (response == null) {
      return List.of(method + " " + template + " declares no response " + status);
    }
    if (response.has("$ref")) {
      pointer = response.get("$ref").asString();
      response = resolve(pointer);
    }
    JsonNode schema = response.path("content").path("application/json").get("schema");
    if (schema == null) {
      return body == null ? List.of() : List.of(method + " " + template + " " + status + " declares no body");
    }
    if (body == null) {
      return List.of(method + " " + template + " " + status + " needs a JSON body");
    }
    return checkSchema(schema, body, pointer + "/content/application~1json/schema");
  }

  /**
   * The developer documentation's field errors carry string codes ({@code "BASE_TYPE_REQUIRED"}),
   * where the spec types {@code Error.code} as an integer (the spec README warns that it types some
   * documented string fields as integers). Following the docs, field-error codes are checked to be
   * strings here and replaced by 0 before the body is validated against the spec.
   */
  private static JsonNode docsErrorCodes(JsonNode body) {
    JsonNode errors = body.get("errors");
    if (errors == null) {
      return body;
    }
    JsonNode copy = body.deepCopy();
    replaceCodes(copy.get("errors"));
    return copy;
  }

  private static void replaceCodes(JsonNode node) {
    if (!node.isObject()) {
      return;
    }
    JsonNode list = node.get("_errors");
    if (list != null && list.isArray()) {
      for (JsonNode e : list) {
        if (e.isObject() && e.path("code").isString()) {
          ((tools.jackson.databind.node.ObjectNode) e).put("code", 0);
        }
      }
    }
    for (JsonNode child : node) {
      replaceCodes(child);
    }
  }

  private List<String> checkSchema(JsonNode schema, JsonNode body, String pointer) {
    if (schema.has("$ref")) {
      return validate(schema.get("$ref").asString(), body);
    }
    JsonNode items = schema.get("items");
    if (items != null && items.has("$ref")) {
      if (!body.isArray()) {
        return List.of(pointer + ": expected an array, got " + body.getNodeType());
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < body.size(); i++) {
        for (String v : validate(items.get("$ref").asString(), body.get(i))) {
          out.add("[" + i + "] " + v);
        }
      }
      return out;
    }
    JsonNode oneOf = schema.get("oneOf");
    if (oneOf != null) {
      List<String> best = null;
      int matches = 0;
      for (JsonNode alternative : oneOf) {
        List<String> v = checkSchema(alternative, body, pointer);
        if (v.isEmpty()) {
          matches++;
        } else if (best == null || v.size() < best.size()) {
          best = v;
        }
      }
      if (matches == 1) {
        return List.of();
      }
      return matches > 1 ? List.of(pointer + ": valid against " + matches + " oneOf alternatives") : best;
    }
    return validate(pointer, body);
  }

  private JsonNode resolve(String ref) {
    JsonNode at = root;
    for (String part : ref.substring(2).split("/")) {
      at = at.get(part.replace("~1", "/").replace("~0", "~"));
    }
    return at;
  }

  private static String escape(String template) {
    return template.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
  }
}
