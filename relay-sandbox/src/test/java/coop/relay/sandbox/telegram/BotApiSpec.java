package coop.relay.sandbox.telegram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small validator of Bot API objects against the machine-readable Bot API spec in {@code
 * shared/specs/telegram/api.json}: every field must exist in its type, required fields must be
 * present, and values must have the declared types, recursively. Unions (types with subtypes) accept
 * a value that is valid as any one subtype.
 */
public final class BotApiSpec {
  private final JsonNode types;
  private final JsonNode methods;

  private BotApiSpec(JsonNode root) {
    this.types = root.get("types");
    this.methods = root.get("methods");
  }

  /** Loads the spec, looking for {@code shared/specs} upwards from the working directory. */
  public static BotApiSpec load() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/specs/telegram/api.json");
      if (Files.isRegularFile(candidate)) {
        try {
          return new BotApiSpec(JsonMapper.builder().build().readTree(Files.readString(candidate)));
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + candidate, e);
        }
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "shared/specs/telegram/api.json not found above " + Path.of("").toAbsolutePath()
            + "; the repository expects shared/ beside it (../shared)");
  }

  /** The violations of {@code value} as the result of {@code method}; empty when it conforms. */
  public List<String> checkResult(String method, JsonNode value) {
    JsonNode m = methods.get(method);
    if (m == null) {
      return List.of("no method " + method + " in the spec");
    }
    List<String> types = new ArrayList<>();
    m.get("returns").forEach(t -> types.add(t.asString()));
    return checkAny(types, value, method + "()");
  }

  /** The violations of {@code value} as an object of type {@code type}; empty when it conforms. */
  public List<String> check(String type, JsonNode value) {
    return checkType(type, value, type);
  }

  /** Whether the spec declares {@code method}. */
  public boolean hasMethod(String method) {
    return methods.has(method);
  }

  private List<String> checkAny(List<String> candidates, JsonNode value, String where) {
    List<String> best = null;
    for (String t : candidates) {
      List<String> v = checkType(t, value, where);
      if (v.isEmpty()) {
        return v;
      }
      if (best == null || v.size() < best.size()) {
        best = v;
      }
    }
    return best == null ? List.of(where + ": no type declared") : best;
  }

  private List<String> checkType(String type, JsonNode value, String where) {
    List<String> out = new ArrayList<>();
    if (type.startsWith("Array of ")) {
      if (!value.isArray()) {
        out.add(where + ": expected " + type + ", got " + value.getNodeType());
        return out;
      }
      String element = type.substring("Array of ".length());
      for (int i = 0; i < value.size(); i++) {
        out.addAll(checkType(element, value.get(i), where + "[" + i + "]"));
      }
      return out;
    }
    switch (type) {
      case "Integer" -> {
        if (!value.isIntegralNumber()) {
          out.add(where + ": expected Integer, got " + value);
        }
      }
      case "Float" -> {
        if (!value.isNumber()) {
          out.add(where + ": expected Float, got " + value);
        }
      }
      case "String" -> {
        if (!value.isString()) {
          out.add(where + ": expected String, got " + value);
        }
      }
      case "Boolean" -> {
        if (!value.isBoolean()) {
          out.add(where + ": expected Boolean, got " + value);
        }
      }
      case "True" -> {
        if (!value.isBoolean() || !value.asBoolean()) {
          out.add(where + ": expected True, got " + value);
        }
      }
      default -> out.addAll(checkObject(type, value, where));
    }
    return out;
  }

  private List<String> checkObject(String type, JsonNode value, String where) {
    JsonNode spec = types.get(type);
    if (spec == null) {
      return List.of(where + ": the spec has no type " + type);
    }
    if (spec.has("subtypes")) {
      List<String> subtypes = new ArrayList<>();
      spec.get("subtypes").forEach(s -> subtypes.add(s.asString()));
      return checkAny(subtypes, value, where);
    }
    List<String> out = new ArrayList<>();
    if (!value.isObject()) {
      out.add(where + ": expected " + type + " object, got " + value.getNodeType());
      return out;
    }
    Map<String, JsonNode> fields = new HashMap<>();
    if (spec.has("fields")) {
      spec.get("fields").forEach(f -> fields.put(f.get("name").asString(), f));
    }
    for (String name : value.propertyNames()) {
      JsonNode field = fields.get(name);
      if (field == null) {
        out.add(where + "." + name + ": no such field in " + type);
        continue;
      }
      List<String> declared = new ArrayList<>();
      field.get("types").forEach(t -> declared.add(t.asString()));
      out.addAll(checkAny(declared, value.get(name), where + "." + name));
    }
    fields.forEach((name, field) -> {
      if (field.path("required").asBoolean(false) && !value.has(name)) {
        out.add(where + "." + name + ": required by " + type + " but missing");
      }
    });
    return out;
  }
}
