package coop.relay.sandbox.telegram.internal;

import coop.relay.sandbox.internal.RequestForm;
import coop.relay.sandbox.internal.SandboxJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The parameters of one Bot API call, from wherever the client put them: the query string, a
 * urlencoded or multipart form, or a JSON body. Form values that are objects or arrays arrive as
 * JSON-serialized strings; JSON bodies carry them as they are.
 */
final class Params {
  private final Map<String, String> text = new HashMap<>();
  private final Map<String, JsonNode> json = new HashMap<>();
  private final Map<String, RequestForm.Part> files = new HashMap<>();

  static Params parse(String uri, @Nullable String contentType, byte[] body) {
    Params p = new Params();
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/json")) {
      RequestForm query = RequestForm.parse(uri, null, new byte[0]);
      p.text.putAll(query.fields());
      if (body.length > 0) {
        JsonNode node;
        try {
          node = SandboxJson.mapper().readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
          throw BotApiException.badRequest("can't parse JSON encoded request body");
        }
        if (node != null && node.isObject()) {
          node.properties().forEach(e -> p.json.put(e.getKey(), e.getValue()));
        }
      }
    } else {
      RequestForm form;
      try {
        form = RequestForm.parse(uri, contentType, body);
      } catch (IllegalArgumentException e) {
        throw BotApiException.badRequest("can't parse multipart/form-data request body");
      }
      p.text.putAll(form.fields());
      p.files.putAll(form.files());
    }
    return p;
  }

  boolean has(String name) {
    return text.containsKey(name) || (json.containsKey(name) && !json.get(name).isNull()) || files.containsKey(name);
  }

  @Nullable String string(String name) {
    JsonNode node = json.get(name);
    if (node != null && !node.isNull()) {
      return node.isValueNode() ? node.asString() : node.toString();
    }
    String value = text.get(name);
    if (value == null && files.containsKey(name)) {
      return files.get(name).text();
    }
    return value;
  }

  /** An integer parameter; absent is {@code null}, unparseable is 0, as the Bot API reads them. */
  @Nullable Long integer(String name) {
    String value = string(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return 0L;
    }
  }

  long integer(String name, long fallback) {
    Long value = integer(name);
    return value == null ? fallback : value;
  }

  boolean bool(String name) {
    String value = string(name);
    return value != null && (value.trim().equalsIgnoreCase("true") || value.trim().equals("1"));
  }

  /**
   * An object or array parameter, parsed from its JSON text when it came as a form value.
   *
   * @throws BotApiException 400 "can't parse {@code what} JSON object" if it is no JSON
   */
  @Nullable JsonNode json(String name, String what) {
    JsonNode node = json.get(name);
    if (node != null && !node.isNull()) {
      return node;
    }
    String value = string(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return SandboxJson.mapper().readTree(value);
    } catch (JacksonException e) {
      throw BotApiException.badRequest("can't parse " + what + " JSON object");
    }
  }

  /** A list of strings such as {@code allowed_updates}; {@code null} when absent. */
  @Nullable List<String> strings(String name, String what) {
    JsonNode node = json(name, what);
    if (node == null) {
      return null;
    }
    if (!node.isArray()) {
      throw BotApiException.badRequest("can't parse " + what + " JSON object");
    }
    List<String> out = new ArrayList<>();
    node.forEach(v -> out.add(v.asString()));
    return out;
  }

  RequestForm.@Nullable Part file(String name) {
    return files.get(name);
  }
}
