package coop.relay.sandbox.slack;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Slack's Web API spec ({@code shared/specs/slack/slack_web_openapi_v2.json}, Swagger 2.0, last
 * changed in 2020) as JSON Schema draft 4, to validate the emulator's answers, plus the Web API and
 * Events API response samples of {@code shared/specs/slack/samples/}.
 *
 * <p>The spec is read as written, with two kinds of documented repairs:
 *
 * <ul>
 *   <li>It writes alternatives as {@code "items": [A, B]} on schemas that are not arrays ({@code
 *       objs_user}, {@code objs_conversation}, {@code bot_id}, ...). JSON Schema ignores {@code
 *       items} on non-arrays, which would accept anything, so they become {@code anyOf: [A, B]}.
 *   <li>Objects with {@code additionalProperties: false} lack fields Slack added since 2020. For
 *       those, the fields that the java-slack-sdk samples show in the same object are added with
 *       the samples' JSON types (see {@link #SAMPLE_PATCHES}, and the fields of a message's
 *       legacy {@code attachments}, such as link previews); nothing else is added. The spec's
 *       {@code shares.public} (an object that may hold nothing) becomes a free map, as the samples
 *       key it by channel id, and chat.update's {@code message.blocks} an array, as Block Kit
 *       blocks are everywhere else in the spec. conversations.replies describes only people's plain
 *       messages inline; its messages are checked against {@code objs_message}, as
 *       conversations.history's are.
 * </ul>
 *
 * Error answers are checked against the method's error schema except for the {@code error} enum,
 * which is incomplete (no {@code ratelimited}, {@code thread_not_found} ...); {@link
 * #documentedError(String, String)} tells whether an error is in it.
 */
final class SlackSpec {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** Spec definition → the sample object (file and JSON pointer) whose extra fields it accepts. */
  static final Map<String, List<String>> SAMPLE_PATCHES = Map.of(
      "objs_message", List.of("api/chat.postMessage.json#/message", "events/MessageChangedPayload.json#/event/message"),
      "objs_file", List.of("api/files.completeUploadExternal.json#/files/0"));

  private final Path dir;
  private final JsonNode swagger;
  private final ObjectNode definitions;
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
  private final Map<String, Schema> schemas = new HashMap<>();

  private SlackSpec(Path dir) throws IOException {
    this.dir = dir;
    this.swagger = JSON.readTree(Files.readString(dir.resolve("slack_web_openapi_v2.json")));
    this.definitions = (ObjectNode) swagger.get("definitions").deepCopy();
    alternatives(definitions);
    for (Map.Entry<String, List<String>> patch : SAMPLE_PATCHES.entrySet()) {
      for (String source : patch.getValue()) {
        addSampleFields((ObjectNode) definitions.get(patch.getKey()), sampleAt(source));
      }
    }
    addSampleFields((ObjectNode) definitions.at("/objs_message/properties/attachments/items"),
        sampleAt("api/chat.postMessage.json#/message/attachments/0"));
    ObjectNode fileProperties = (ObjectNode) definitions.get("objs_file").get("properties");
    fileProperties.putObject("shares").put("type", "object");
  }

  /** Loads the spec, looking for {@code shared/specs/slack} upwards from the working directory. */
  static SlackSpec load() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/specs/slack");
      if (Files.isRegularFile(candidate.resolve("slack_web_openapi_v2.json"))) {
        try {
          return new SlackSpec(candidate);
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + candidate, e);
        }
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("shared/specs/slack not found above " + Path.of("").toAbsolutePath()
        + "; the repository expects shared/ beside it (../shared)");
  }

  /** Whether the spec describes {@code method}. */
  boolean covers(String method) {
    return swagger.get("paths").has("/" + method);
  }

  /** The error codes the spec lists for {@code method}. */
  List<String> documentedErrors(String method) {
    List<String> out = new ArrayList<>();
    operation(method).get("responses").get("default").get("schema").path("properties").path("error").path("enum")
        .forEach(e -> out.add(e.asString()));
    return out;
  }

  boolean documentedError(String method, String error) {
    return documentedErrors(method).contains(error);
  }

  /** The violations of {@code body} as an answer of {@code method}; empty when it conforms. */
  List<String> check(String method, JsonNode body) {
    boolean ok = body.path("ok").asBoolean(false);
    Schema schema = schemas.computeIfAbsent(method + (ok ? "#ok" : "#error"), k -> {
      ObjectNode root = (ObjectNode) operation(method).get("responses").get(ok ? "200" : "default").get("schema").deepCopy();
      alternatives(root);
      if (!ok) {
        ((ObjectNode) root.get("properties").get("error")).remove("enum");
      } else {
        // Every success answer may carry Slack's warnings (all the samples have both fields).
        ObjectNode properties = (ObjectNode) root.get("properties");
        properties.putObject("warning").put("type", "string");
        properties.putObject("response_metadata").put("type", "object");
        if (method.equals("conversations.replies")) {
          ((ObjectNode) properties.get("messages")).putObject("items").put("$ref", "#/definitions/objs_message");
        }
        JsonNode messageBlocks = properties.path("message").path("properties").path("blocks");
        if (messageBlocks.isObject() && "object".equals(messageBlocks.path("type").asString(""))) {
          ((ObjectNode) messageBlocks).put("type", "array");
        }
      }
      root.set("definitions", definitions);
      return registry.getSchema(root);
    });
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(body)) {
      out.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    return out;
  }

  private JsonNode operation(String method) {
    JsonNode path = swagger.get("paths").get("/" + method);
    if (path == null) {
      throw new IllegalArgumentException("the Web API spec has no method " + method);
    }
    return path.has("post") ? path.get("post") : path.get("get");
  }

  /** A sample file's JSON, e.g. {@code api/chat.postMessage.json} or {@code events/MessagePayload.json}. */
  JsonNode sample(String file) {
    try {
      return JSON.readTree(Files.readString(dir.resolve("samples").resolve(file)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read sample " + file, e);
    }
  }

  /** The JSON at {@code file#pointer} in the samples. */
  JsonNode sampleAt(String source) {
    int hash = source.indexOf('#');
    JsonNode node = sample(source.substring(0, hash)).at(source.substring(hash + 1));
    if (node.isMissingNode()) {
      throw new IllegalStateException("the samples have nothing at " + source);
    }
    return node;
  }

  private static void addSampleFields(ObjectNode definition, JsonNode sample) {
    ObjectNode properties = (ObjectNode) definition.get("properties");
    for (String name : sample.propertyNames()) {
      if (!properties.has(name)) {
        properties.putObject(name).put("type", SampleShape.typeName(sample.get(name)));
      }
    }
  }

  /** Rewrites {@code items: [A, B]} on non-array schemas to {@code anyOf: [A, B]}, recursively. */
  private static void alternatives(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode items = object.get("items");
      if (items instanceof ArrayNode alternatives && !"array".equals(object.path("type").asString(""))) {
        object.remove("items");
        object.set("anyOf", alternatives);
      }
      for (String name : object.propertyNames()) {
        alternatives(object.get(name));
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(SlackSpec::alternatives);
    }
  }
}
