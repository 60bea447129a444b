package coop.relay.telegram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Checks every Bot API request the connector sends against the machine-readable Bot API spec
 * ({@code shared/specs/telegram/api.json}, found by walking up from the working directory): the
 * method exists, every parameter is one the method declares, required parameters are present, and
 * values have the declared types, objects recursively (unknown fields, missing required fields,
 * unions by subtype). Multipart requests carry every value as a string, as Telegram reads them:
 * numbers and booleans must parse, objects and arrays must be valid JSON of their type, and an
 * {@code InputFile} must be an uploaded file. Answers that succeed are checked against the
 * method's result type too.
 *
 * <p>Install it with the connector builder's test hook; the tests assert after each run that
 * {@link #violations()} is empty. It also records the calls, for assertions about what was sent.
 */
final class BotApiConformance implements Interceptor {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static volatile @Nullable JsonNode spec;

  private final JsonNode types;
  private final JsonNode methods;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  /** A request as sent: the method and its parameters (multipart values as strings, files as {@code "<file name>"}). */
  record Call(String method, JsonNode parameters) {}

  BotApiConformance() {
    JsonNode root = load();
    this.types = root.get("types");
    this.methods = root.get("methods");
  }

  /** Everything that did not conform, one line each; empty when all requests and answers did. */
  List<String> violations() {
    return List.copyOf(violations);
  }

  /** Every Bot API call so far, in order. */
  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls of {@code method} so far. */
  List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  /** Throws an {@link AssertionError} listing the violations, if there are any. */
  void assertConforms() {
    if (!violations.isEmpty()) {
      throw new AssertionError("Bot API requests or answers that do not conform to shared/specs/telegram/api.json:\n  "
          + String.join("\n  ", violations));
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    List<String> segments = request.url().pathSegments();
    boolean download = segments.size() > 1 && segments.get(0).equals("file");
    String method = segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    if (!download) {
      JsonNode parameters = parameters(request, method);
      calls.add(new Call(method, parameters));
    }
    Response response = chain.proceed(request);
    if (!download && response.isSuccessful()) {
      String body = response.peekBody(64L * 1024 * 1024).string();
      try {
        JsonNode answer = JSON.readTree(body);
        if (answer.path("ok").asBoolean(false)) {
          record(checkResult(method, answer.get("result")));
        }
      } catch (JacksonException e) {
        violations.add(method + ": the answer is not JSON");
      }
    }
    return response;
  }

  private JsonNode parameters(Request request, String method) throws IOException {
    JsonNode spec = methods.get(method);
    if (spec == null) {
      violations.add(method + ": no such Bot API method");
      return JsonNodeFactory.instance.objectNode();
    }
    RequestBody body = request.body();
    Map<String, JsonNode> fields = fields(spec);
    var parameters = JsonNodeFactory.instance.objectNode();
    if (body instanceof MultipartBody multipart) {
      for (MultipartBody.Part part : multipart.parts()) {
        String disposition = headerOf(part.headers(), "Content-Disposition");
        String name = attribute(disposition, "name");
        String fileName = attribute(disposition, "filename");
        if (name == null) {
          violations.add(method + ": a multipart part without a name");
          continue;
        }
        JsonNode field = fields.get(name);
        if (field == null) {
          violations.add(method + "." + name + ": not a parameter of " + method);
          continue;
        }
        if (fileName != null) {
          parameters.put(name, "<" + fileName + ">");
          if (!declared(field).contains("InputFile")) {
            violations.add(method + "." + name + ": a file was uploaded, but the parameter is not an InputFile");
          }
          continue;
        }
        Buffer buffer = new Buffer();
        part.body().writeTo(buffer);
        String value = buffer.readString(StandardCharsets.UTF_8);
        parameters.put(name, value);
        record(checkFormValue(declared(field), value, method + "." + name));
      }
    } else if (body != null && body.contentLength() != 0) {
      Buffer buffer = new Buffer();
      body.writeTo(buffer);
      String text = buffer.readString(StandardCharsets.UTF_8);
      JsonNode json;
      try {
        json = JSON.readTree(text);
      } catch (JacksonException e) {
        violations.add(method + ": the body is neither multipart nor JSON");
        return parameters;
      }
      if (!json.isObject()) {
        violations.add(method + ": the JSON body is not an object");
        return parameters;
      }
      for (String name : json.propertyNames()) {
        JsonNode field = fields.get(name);
        if (field == null) {
          violations.add(method + "." + name + ": not a parameter of " + method);
          continue;
        }
        parameters.set(name, json.get(name));
        record(checkAny(declared(field), json.get(name), method + "." + name));
      }
    }
    fields.forEach((name, field) -> {
      if (field.path("required").asBoolean(false) && !parameters.has(name)) {
        violations.add(method + "." + name + ": required but missing");
      }
    });
    return parameters;
  }

  private void record(List<String> found) {
    violations.addAll(found);
  }

  /** A multipart value: a string for String parameters, else the JSON it must parse as. */
  private List<String> checkFormValue(List<String> declared, String value, String where) {
    if (declared.contains("String")) {
      return List.of();
    }
    JsonNode parsed;
    try {
      parsed = JSON.readTree(value);
    } catch (JacksonException e) {
      return List.of(where + ": '" + value + "' is not a valid " + declared);
    }
    return parsed == null ? List.of(where + ": empty value") : checkAny(declared, parsed, where);
  }

  List<String> checkResult(String method, @Nullable JsonNode value) {
    JsonNode spec = methods.get(method);
    if (spec == null || value == null) {
      return List.of(method + "(): no result to check");
    }
    List<String> returns = new ArrayList<>();
    spec.get("returns").forEach(t -> returns.add(t.asString()));
    return checkAny(returns, value, method + "()");
  }

  private List<String> checkAny(List<String> candidates, JsonNode value, String where) {
    List<String> best = null;
    for (String type : candidates) {
      List<String> found = checkType(type, value, where);
      if (found.isEmpty()) {
        return found;
      }
      if (best == null || found.size() < best.size()) {
        best = found;
      }
    }
    return best == null ? List.of(where + ": no type declared") : best;
  }

  private List<String> checkType(String type, JsonNode value, String where) {
    if (type.startsWith("Array of ")) {
      if (!value.isArray()) {
        return List.of(where + ": expected " + type + ", got " + value.getNodeType());
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        out.addAll(checkType(type.substring("Array of ".length()), value.get(i), where + "[" + i + "]"));
      }
      return out;
    }
    boolean ok = switch (type) {
      case "Integer" -> value.isIntegralNumber();
      case "Float" -> value.isNumber();
      case "String" -> value.isString();
      case "Boolean" -> value.isBoolean();
      case "True" -> value.isBoolean() && value.asBoolean();
      case "InputFile" -> false; // only as an uploaded file part
      default -> true;
    };
    if (!ok) {
      return List.of(where + ": expected " + type + ", got " + value);
    }
    return switch (type) {
      case "Integer", "Float", "String", "Boolean", "True" -> List.of();
      default -> checkObject(type, value, where);
    };
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
    if (!value.isObject()) {
      return List.of(where + ": expected a " + type + " object, got " + value.getNodeType());
    }
    Map<String, JsonNode> fields = fields(spec);
    List<String> out = new ArrayList<>();
    for (String name : value.propertyNames()) {
      JsonNode field = fields.get(name);
      if (field == null) {
        out.add(where + "." + name + ": no such field in " + type);
      } else {
        out.addAll(checkAny(declared(field), value.get(name), where + "." + name));
      }
    }
    fields.forEach((name, field) -> {
      if (field.path("required").asBoolean(false) && !value.has(name)) {
        out.add(where + "." + name + ": required by " + type + " but missing");
      }
    });
    return out;
  }

  private static Map<String, JsonNode> fields(JsonNode spec) {
    Map<String, JsonNode> fields = new HashMap<>();
    if (spec.has("fields")) {
      spec.get("fields").forEach(f -> fields.put(f.get("name").asString(), f));
    }
    return fields;
  }

  private static List<String> declared(JsonNode field) {
    List<String> types = new ArrayList<>();
    field.get("types").forEach(t -> types.add(t.asString()));
    return types;
  }

  private static @Nullable String headerOf(@Nullable Headers headers, String name) {
    return headers == null ? null : headers.get(name);
  }

  private static @Nullable String attribute(@Nullable String disposition, String name) {
    if (disposition == null) {
      return null;
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String piece : disposition.split(";")) {
      int eq = piece.indexOf('=');
      if (eq > 0) {
        String value = piece.substring(eq + 1).strip();
        if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
          value = value.substring(1, value.length() - 1);
        }
        attributes.put(piece.substring(0, eq).strip(), value);
      }
    }
    return attributes.get(name);
  }

  private static JsonNode load() {
    JsonNode loaded = spec;
    if (loaded != null) {
      return loaded;
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/specs/telegram/api.json");
      if (Files.isRegularFile(candidate)) {
        try {
          loaded = JSON.readTree(Files.readString(candidate));
          spec = loaded;
          return loaded;
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + candidate, e);
        }
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("shared/specs/telegram/api.json not found above " + Path.of("").toAbsolutePath()
        + "; the repository expects shared/ beside it");
  }
}
