package coop.relay.sandbox.matrix;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Matrix specification's machine-readable parts, from {@code shared/specs/matrix}: the OpenAPI
 * definitions of the client-server and application service APIs and the event JSON Schemas, with
 * every {@code $ref} resolved (relative to its file, with JSON pointers) and merged, validated with a
 * JSON Schema 2020-12 validator.
 */
public final class MatrixSpec {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static volatile @Nullable MatrixSpec instance;

  /** One operation of an OpenAPI file: its full path template and its responses by status. */
  record Operation(String method, String[] segments, String template, Path file, JsonNode node) {}

  private final Path root;
  private final Map<Path, JsonNode> files = new ConcurrentHashMap<>();
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  private final List<Operation> operations = new ArrayList<>();
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private MatrixSpec(Path root) {
    this.root = root;
    for (String api : List.of("client-server", "application-service")) {
      try (Stream<Path> list = Files.list(root.resolve("api").resolve(api))) {
        list.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(this::loadOperations);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Loads the spec, looking for {@code shared/specs/matrix} upwards from the working directory. */
  public static MatrixSpec load() {
    MatrixSpec spec = instance;
    if (spec != null) {
      return spec;
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/specs/matrix");
      if (Files.isDirectory(candidate.resolve("api"))) {
        spec = new MatrixSpec(candidate);
        instance = spec;
        return spec;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("shared/specs/matrix not found above " + Path.of("").toAbsolutePath()
        + "; the repository expects shared/ beside it (../shared)");
  }

  Path root() {
    return root;
  }

  private void loadOperations(Path file) {
    JsonNode doc = read(file);
    JsonNode paths = doc.path("paths");
    if (!paths.isObject()) {
      return;
    }
    String base = defaultBasePath(file, doc);
    for (String path : paths.propertyNames()) {
      JsonNode item = paths.get(path);
      for (String method : item.propertyNames()) {
        if (!List.of("get", "put", "post", "delete", "patch").contains(method)) {
          continue;
        }
        String template = base + path;
        operations.add(new Operation(method.toUpperCase(java.util.Locale.ROOT), template.substring(1).split("/"), template,
            file, item.get(method)));
      }
    }
  }

  private static String defaultBasePath(Path file, JsonNode doc) {
    JsonNode servers = doc.path("servers");
    for (JsonNode server : servers) {
      JsonNode base = server.path("variables").path("basePath").path("default");
      if (base.isString()) {
        return base.asString();
      }
    }
    return file.getParent().getFileName().toString().equals("application-service") ? "/_matrix/app/v1" : "/_matrix/client/v3";
  }

  /** The operation that serves {@code method} on the raw request path, or null. */
  @Nullable Operation operation(String method, String rawPath) {
    String[] have = rawPath.substring(1).split("/", -1);
    for (int i = 0; i < have.length; i++) {
      have[i] = URLDecoder.decode(have[i].replace("+", "%2B"), StandardCharsets.UTF_8);
    }
    Operation best = null;
    int bestLiterals = -1;
    for (Operation op : operations) {
      if (!op.method().equals(method) || op.segments().length != have.length) {
        continue;
      }
      int literals = 0;
      boolean ok = true;
      for (int i = 0; i < have.length; i++) {
        String t = op.segments()[i];
        if (t.startsWith("{")) {
          continue;
        }
        if (!t.equals(have[i])) {
          ok = false;
          break;
        }
        literals++;
      }
      if (ok && literals > bestLiterals) {
        best = op;
        bestLiterals = literals;
      }
    }
    return best;
  }

  /**
   * The violations of a JSON response to {@code method rawPath} with {@code status}: against the
   * operation's response schema for that status, or, for errors the operation does not list, the
   * standard error response. Empty when it conforms.
   */
  public List<String> checkResponse(String method, String rawPath, int status, JsonNode body) {
    Operation op = operation(method, rawPath);
    if (op == null) {
      return List.of("no operation " + method + " " + rawPath + " in the spec");
    }
    JsonNode response = op.node().path("responses").path(Integer.toString(status));
    JsonNode schema = null;
    Path file = op.file();
    if (response.isObject()) {
      JsonNode resolved = resolve(file, response, new ArrayDeque<>());
      schema = resolved.path("content").path("application/json").path("schema");
    }
    if (schema == null || schema.isMissingNode()) {
      if (status >= 400) {
        return check("api/client-server/definitions/errors/" + (status == 429 ? "rate_limited.yaml" : "error.yaml"), body);
      }
      return List.of(op.template() + " has no JSON schema for status " + status);
    }
    return validate(op.template() + " " + status, schema, body);
  }

  /** The violations of the JSON request body of {@code method template}, against its requestBody schema. */
  public List<String> checkRequest(String method, String rawPath, JsonNode body) {
    Operation op = operation(method, rawPath);
    if (op == null) {
      return List.of("no operation " + method + " " + rawPath + " in the spec");
    }
    JsonNode request = resolve(op.file(), op.node().path("requestBody"), new ArrayDeque<>());
    JsonNode schema = request.path("content").path("application/json").path("schema");
    if (schema.isMissingNode()) {
      return List.of(op.template() + " has no JSON request schema");
    }
    return validate(op.template() + " request", schema, body);
  }

  /** The violations of {@code value} against the schema file at {@code relative} (below the spec root). */
  public List<String> check(String relative, JsonNode value) {
    Path file = root.resolve(relative);
    return validate(relative, resolve(file, read(file), new ArrayDeque<>()), value);
  }

  /**
   * The violations of a room event served to a client against its event schema in {@code
   * event-schemas/schema} ({@code m.room.message} by msgtype). Redacted events and types without
   * a schema are checked against the core room or state event schema only.
   */
  public List<String> checkEvent(JsonNode event) {
    String type = event.path("type").asString("");
    boolean state = event.has("state_key");
    boolean redacted = event.path("unsigned").has("redacted_because");
    String core = "event-schemas/schema/core-event-schema/" + (state ? "state_event.yaml" : "room_event.yaml");
    List<String> out = new ArrayList<>(check(core, event));
    if (redacted) {
      return out;
    }
    String name = type;
    if (type.equals("m.room.message")) {
      String msgtype = event.path("content").path("msgtype").asString("");
      if (Files.isRegularFile(root.resolve("event-schemas/schema/m.room.message$" + msgtype + ".yaml"))) {
        name = "m.room.message$" + msgtype;
      }
    }
    Path file = root.resolve("event-schemas/schema/" + name + ".yaml");
    if (Files.isRegularFile(file)) {
      out.addAll(check("event-schemas/schema/" + name + ".yaml", event));
    }
    return out;
  }

  /** Whether the event schemas define {@code type}. */
  public boolean hasEventSchema(String type) {
    return Files.isRegularFile(root.resolve("event-schemas/schema/" + type + ".yaml"));
  }

  private List<String> validate(String where, JsonNode schema, JsonNode value) {
    Schema compiled = schemas.computeIfAbsent(where + "\u0000" + schema.hashCode(), k -> registry.getSchema(schema));
    List<String> out = new ArrayList<>();
    compiled.validate(value).forEach(e -> out.add(where + ": " + e));
    return out;
  }

  JsonNode read(Path file) {
    return files.computeIfAbsent(file.normalize(), f -> {
      try {
        return YAML.readTree(Files.readString(f));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + f, e);
      }
    });
  }

  /**
   * {@code node} with every {@code $ref} replaced by what it points at (a file relative to {@code
   * file}, optionally with a {@code #/json/pointer}), the referring object's other keys merged over
   * the target's, recursively. {@code $schema}, {@code $id} and OpenAPI {@code x-} extension keys
   * are dropped so that the result is one self-contained JSON Schema.
   */
  JsonNode resolve(Path file, JsonNode node, Deque<String> stack) {
    if (node.isArray()) {
      var out = YAML.createArrayNode();
      node.forEach(n -> out.add(resolve(file, n, stack)));
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode out = YAML.createObjectNode();
    JsonNode ref = node.get("$ref");
    if (ref != null && ref.isString()) {
      String target = ref.asString();
      int hash = target.indexOf('#');
      String path = hash < 0 ? target : target.substring(0, hash);
      String pointer = hash < 0 ? "" : target.substring(hash + 1);
      Path targetFile = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
      String key = targetFile + "#" + pointer;
      if (stack.contains(key)) {
        // A recursive schema: stop here, accepting anything below.
        return out;
      }
      JsonNode doc = read(targetFile);
      JsonNode pointed = pointer.isEmpty() ? doc : doc.at(pointer);
      if (pointed.isMissingNode()) {
        throw new IllegalStateException("unresolvable $ref " + target + " in " + file);
      }
      stack.push(key);
      JsonNode resolved = resolve(targetFile, pointed, stack);
      stack.pop();
      if (resolved.isObject()) {
        out.setAll((ObjectNode) resolved);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (k.equals("$ref") || k.equals("$schema") || k.equals("$id") || k.equals("example") || k.startsWith("x-")) {
        continue;
      }
      out.set(k, resolve(file, e.getValue(), stack));
    }
    // GET /rooms/{roomId}/state/{eventType}/{stateKey} answers oneOf [any object, a state event];
    // every state event is also an object, so as written it could never hold for ?format=event.
    JsonNode oneOf = out.get("oneOf");
    if (oneOf != null && oneOf.isArray()) {
      for (JsonNode branch : oneOf) {
        if (branch.size() == 1 && "object".equals(branch.path("type").asString(null))) {
          out.set("anyOf", out.remove("oneOf"));
          break;
        }
      }
    }
    return out;
  }

  /** An example of {@code event-schemas/examples}, its {@code $ref} chain resolved and merged. */
  JsonNode example(Path file) {
    return resolve(file, read(file), new ArrayDeque<>());
  }
}
