package coop.relay.matrix;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Matrix specification's machine-readable definitions (found by walking up from the working
 * directory to {@code shared/specs/matrix}), as checks: requests against the client-server OpenAPI
 * operations (path, path and query parameters, JSON body), events against the event JSON Schemas,
 * and the examples with their {@code $ref} chains resolved and merged. Each {@code $ref} is replaced
 * by the document or JSON pointer it names, relative to the file it is in, with the referring
 * object's own keys laid over it.
 */
public final class SpecCheck {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
  private static volatile @Nullable SpecCheck shared;

  /** One operation: method, path template split in segments, its definition and the file it is in. */
  private record Operation(String method, String template, List<String> segments, Path file, JsonNode definition) {}

  private final Path root;
  private final Map<Path, JsonNode> documents = new ConcurrentHashMap<>();
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
  private final List<Operation> operations = new ArrayList<>();
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private SpecCheck(Path root) {
    this.root = root;
    for (String api : List.of("client-server", "application-service")) {
      try (Stream<Path> files = Files.list(root.resolve("api").resolve(api))) {
        files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(this::index);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The spec, loaded once per test JVM. */
  public static SpecCheck load() {
    SpecCheck spec = shared;
    if (spec == null) {
      synchronized (SpecCheck.class) {
        spec = shared;
        if (spec == null) {
          spec = new SpecCheck(findRoot());
          shared = spec;
        }
      }
    }
    return spec;
  }

  /** {@code shared/specs/matrix} above the working directory. */
  public static Path findRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("specs").resolve("matrix");
      if (Files.isDirectory(candidate.resolve("event-schemas"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no shared/specs/matrix above " + Path.of("").toAbsolutePath());
  }

  public Path root() {
    return root;
  }

  private void index(Path file) {
    JsonNode document = read(file);
    String base = basePath(file, document);
    JsonNode paths = document.path("paths");
    for (String path : paths.propertyNames()) {
      JsonNode item = paths.get(path);
      for (String method : item.propertyNames()) {
        if (METHODS.contains(method)) {
          // inviting.yaml writes "/rooms/{roomId}/invite " with a space, to tell it from the 3PID invite.
          String template = base + path.strip();
          operations.add(new Operation(method.toUpperCase(Locale.ROOT), template, List.of(template.substring(1).split("/")),
              file, item.get(method)));
        }
      }
    }
  }

  private static String basePath(Path file, JsonNode document) {
    for (JsonNode server : document.path("servers")) {
      JsonNode base = server.path("variables").path("basePath").path("default");
      if (base.isString()) {
        return base.asString();
      }
    }
    throw new IllegalStateException(file + " names no basePath");
  }

  // ------------------------------------------------------------------ requests

  /**
   * What is wrong with a request to the client-server API, empty when it conforms.
   *
   * @param rawPath the path as sent, percent-encoded
   * @param query the decoded query parameters
   * @param body the JSON body, or {@code null} when the request has none or it is not JSON
   * @param identityAssertion whether {@code user_id} may be added (application services may add it to any request)
   */
  public List<String> checkRequest(String method, String rawPath, Map<String, List<String>> query,
      @Nullable JsonNode body, @Nullable String contentType, boolean identityAssertion) {
    String[] segments = rawPath.substring(1).split("/", -1);
    List<String> decoded = new ArrayList<>();
    for (String segment : segments) {
      decoded.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    List<Operation> candidates = match(method, decoded);
    if (candidates.isEmpty()) {
      return List.of(method + " " + rawPath + ": no such operation in the client-server or application-service API");
    }
    // One path can have several definitions (POST /rooms/{roomId}/invite invites a user or a 3PID):
    // a request conforms when it conforms to one of them.
    List<String> first = null;
    for (Operation operation : candidates) {
      List<String> problems = check(operation, method, rawPath, decoded, query, body, contentType, identityAssertion);
      if (problems.isEmpty()) {
        return problems;
      }
      if (first == null) {
        first = problems;
      }
    }
    return first;
  }

  private List<String> check(Operation operation, String method, String rawPath, List<String> decoded,
      Map<String, List<String>> query, @Nullable JsonNode body, @Nullable String contentType,
      boolean identityAssertion) {
    List<String> problems = new ArrayList<>();
    String where = method + " " + rawPath;
    Map<String, JsonNode> parameters = parameters(operation);
    for (int i = 0; i < operation.segments().size(); i++) {
      String template = operation.segments().get(i);
      if (template.startsWith("{")) {
        String name = template.substring(1, template.length() - 1);
        if (decoded.get(i).isEmpty()) {
          problems.add(where + ": path parameter " + name + " is empty");
        }
        check(where + " path " + name, parameters.get("path " + name), NODES.stringNode(decoded.get(i)), problems);
      }
    }
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, List<String>> entry : query.entrySet()) {
      String name = entry.getKey();
      seen.add(name);
      if (name.equals("user_id") && identityAssertion) {
        continue;
      }
      JsonNode parameter = parameters.get("query " + name);
      if (parameter == null) {
        problems.add(where + ": query parameter " + name + " is not defined by " + operation.template());
        continue;
      }
      for (String value : entry.getValue()) {
        check(where + " query " + name, parameter, typed(parameter.path("schema"), value), problems);
      }
    }
    parameters.forEach((key, parameter) -> {
      if (key.startsWith("query ") && parameter.path("required").asBoolean(false) && !seen.contains(key.substring(6))) {
        problems.add(where + ": required query parameter " + key.substring(6) + " is missing");
      }
    });
    JsonNode requestBody = resolve(operation.file(), operation.definition().path("requestBody"));
    JsonNode jsonSchema = requestBody.path("content").path("application/json").path("schema");
    if (!jsonSchema.isMissingNode()) {
      if (body == null) {
        if (requestBody.path("required").asBoolean(false)) {
          problems.add(where + ": the JSON body is missing");
        }
      } else {
        problems.addAll(validate(where + " body", jsonSchema, body));
      }
    } else if (requestBody.path("content").isObject() && contentType == null) {
      problems.add(where + ": the body has no Content-Type");
    } else if (body != null && !requestBody.path("content").isObject()) {
      problems.add(where + ": the operation takes no body");
    }
    return problems;
  }

  private List<Operation> match(String method, List<String> segments) {
    List<Operation> best = new ArrayList<>();
    int bestLiterals = -1;
    for (Operation operation : operations) {
      if (!operation.method().equals(method) || operation.segments().size() != segments.size()) {
        continue;
      }
      int literals = 0;
      boolean matches = true;
      for (int i = 0; i < segments.size() && matches; i++) {
        String template = operation.segments().get(i);
        if (!template.startsWith("{")) {
          matches = template.equals(segments.get(i));
          literals++;
        }
      }
      if (matches && literals > bestLiterals) {
        best.clear();
        bestLiterals = literals;
      }
      if (matches && literals == bestLiterals) {
        best.add(operation);
      }
    }
    return best;
  }

  /** The operation's parameters by "in name", resolved. */
  private Map<String, JsonNode> parameters(Operation operation) {
    Map<String, JsonNode> out = new java.util.HashMap<>();
    for (JsonNode parameter : operation.definition().path("parameters")) {
      JsonNode resolved = resolve(operation.file(), parameter);
      out.put(resolved.path("in").asString() + " " + resolved.path("name").asString(), resolved);
    }
    return out;
  }

  private static JsonNode typed(JsonNode schema, String value) {
    String type = schema.path("type").asString("string");
    try {
      return switch (type) {
        case "integer" -> NODES.numberNode(Long.parseLong(value));
        case "number" -> NODES.numberNode(Double.parseDouble(value));
        case "boolean" -> value.equals("true") || value.equals("false")
            ? NODES.booleanNode(Boolean.parseBoolean(value)) : NODES.stringNode(value);
        default -> NODES.stringNode(value);
      };
    } catch (NumberFormatException notNumber) {
      return NODES.stringNode(value);
    }
  }

  private void check(String where, @Nullable JsonNode parameter, JsonNode value, List<String> problems) {
    if (parameter != null && parameter.has("schema")) {
      problems.addAll(validate(where, parameter.get("schema"), value));
    }
  }

  // ------------------------------------------------------------------ events

  /**
   * What is wrong with a client-format room event against the schema of its type (for
   * {@code m.room.message}, of its msgtype), empty when it conforms.
   */
  public List<String> checkEvent(JsonNode event) {
    String type = event.path("type").asString("");
    String name = type;
    if (type.equals("m.room.message")) {
      String msgtype = event.path("content").path("msgtype").asString("");
      if (Files.isRegularFile(root.resolve("event-schemas/schema/m.room.message$" + msgtype + ".yaml"))) {
        name = "m.room.message$" + msgtype;
      }
    }
    Path file = root.resolve("event-schemas/schema/" + name + ".yaml");
    if (!Files.isRegularFile(file)) {
      return List.of("no event schema for " + name);
    }
    return validate(name, resolve(file, read(file)), event);
  }

  /** A complete client event around {@code content}, as the homeserver would serve it. */
  public static ObjectNode event(String type, JsonNode content) {
    ObjectNode event = NODES.objectNode();
    event.put("type", type);
    event.put("event_id", "$checked:example.org");
    event.put("room_id", "!checked:example.org");
    event.put("sender", "@checked:example.org");
    event.put("origin_server_ts", 1_700_000_000_000L);
    event.set("content", content);
    event.putObject("unsigned");
    return event;
  }

  /** The example files of {@code event-schemas/examples}, without the core fragments. */
  public List<Path> examples() {
    try (Stream<Path> files = Files.list(root.resolve("event-schemas/examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An example with its {@code $ref} chain resolved and merged. */
  public JsonNode example(Path file) {
    return resolve(file, read(file));
  }

  // ------------------------------------------------------------------ schemas and references

  private List<String> validate(String where, JsonNode schema, JsonNode value) {
    Schema compiledSchema = compiled.computeIfAbsent(schema.toString(), key -> registry.getSchema(schema));
    List<String> problems = new ArrayList<>();
    compiledSchema.validate(value).forEach(error -> problems.add(where + ": " + error));
    return problems;
  }

  private JsonNode read(Path file) {
    return documents.computeIfAbsent(file.normalize(), f -> {
      try {
        return YAML.readTree(Files.readString(f));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** {@code node} (found in {@code file}) with every {@code $ref} below it replaced and merged. */
  public JsonNode resolve(Path file, JsonNode node) {
    return resolve(file, node, new ArrayList<>());
  }

  private JsonNode resolve(Path file, JsonNode node, List<String> stack) {
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(item -> out.add(resolve(file, item, stack)));
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode out = NODES.objectNode();
    JsonNode ref = node.get("$ref");
    if (ref != null && ref.isString()) {
      String target = ref.asString();
      int hash = target.indexOf('#');
      String path = hash < 0 ? target : target.substring(0, hash);
      String pointer = hash < 0 ? "" : target.substring(hash + 1);
      Path targetFile = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
      String key = targetFile + "#" + pointer;
      if (!stack.contains(key)) {
        JsonNode document = read(targetFile);
        JsonNode pointed = pointer.isEmpty() ? document : document.at(pointer);
        if (pointed.isMissingNode()) {
          throw new IllegalStateException("$ref " + target + " in " + file + " points at nothing");
        }
        stack.add(key);
        JsonNode resolved = resolve(targetFile, pointed, stack);
        stack.remove(stack.size() - 1);
        if (resolved.isObject()) {
          out.setAll((ObjectNode) resolved);
        }
      }
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String key = entry.getKey();
      if (key.equals("$ref") || key.equals("$schema") || key.equals("$id") || key.equals("example")
          || key.startsWith("x-")) {
        continue;
      }
      out.set(key, resolve(file, entry.getValue(), stack));
    }
    return out;
  }
}
