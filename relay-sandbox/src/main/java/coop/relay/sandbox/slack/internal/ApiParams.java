package coop.relay.sandbox.slack.internal;

import coop.relay.sandbox.internal.RequestForm;
import coop.relay.sandbox.internal.SandboxJson;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The arguments of one Web API call: the query string plus a urlencoded or multipart form, or a
 * JSON body. In forms, structured arguments ({@code blocks}, {@code metadata}, {@code files}) are
 * JSON-encoded strings; JSON bodies carry them as they are.
 */
final class ApiParams {
  private final Map<String, String> text = new HashMap<>();
  private final Map<String, JsonNode> json = new HashMap<>();
  final boolean jsonBody;
  final boolean jsonWithoutCharset;

  private ApiParams(boolean jsonBody, boolean jsonWithoutCharset) {
    this.jsonBody = jsonBody;
    this.jsonWithoutCharset = jsonWithoutCharset;
  }

  /**
   * Parses a request.
   *
   * @throws ApiException with Slack's errors for bodies it cannot read
   */
  static ApiParams parse(String method, String uri, @Nullable String contentType, byte[] body) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    boolean post = method.equals("POST");
    if (type.startsWith("application/json")) {
      ApiParams p = new ApiParams(true, !type.contains("charset"));
      p.text.putAll(RequestForm.parse(uri, null, new byte[0]).fields());
      if (body.length > 0) {
        JsonNode node;
        try {
          node = SandboxJson.mapper().readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
          throw ApiException.of("invalid_json");
        }
        if (node == null || !node.isObject()) {
          throw ApiException.of("json_not_object");
        }
        node.properties().forEach(e -> p.json.put(e.getKey(), e.getValue()));
      }
      return p;
    }
    if (post && body.length > 0) {
      if (type.isEmpty()) {
        throw ApiException.of("missing_post_type");
      }
      if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
        throw ApiException.of("invalid_post_type");
      }
    }
    ApiParams p = new ApiParams(false, false);
    try {
      p.text.putAll(RequestForm.parse(uri, contentType, body).fields());
    } catch (IllegalArgumentException e) {
      throw ApiException.of("invalid_form_data");
    }
    return p;
  }

  boolean has(String name) {
    return text.containsKey(name) || (json.containsKey(name) && !json.get(name).isNull());
  }

  /** The argument as text (JSON numbers and booleans as written), or {@code null}. */
  @Nullable String string(String name) {
    JsonNode node = json.get(name);
    if (node != null && !node.isNull()) {
      return node.isValueNode() ? node.asString() : node.toString();
    }
    return text.get(name);
  }

  String string(String name, String fallback) {
    String value = string(name);
    return value == null ? fallback : value;
  }

  boolean bool(String name, boolean fallback) {
    String value = string(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    return value.equalsIgnoreCase("true") || value.equals("1");
  }

  long integer(String name, long fallback) {
    String value = string(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.of("invalid_arguments");
    }
  }

  /**
   * A structured argument: as sent in a JSON body, or parsed from its form string.
   *
   * @param error Slack's error when a form string is not JSON
   */
  @Nullable JsonNode json(String name, String error) {
    JsonNode node = json.get(name);
    if (node != null && !node.isNull()) {
      if (node.isString()) {
        return parseJson(node.asString(), error);
      }
      return node;
    }
    String value = text.get(name);
    return value == null || value.isEmpty() ? null : parseJson(value, error);
  }

  private static JsonNode parseJson(String value, String error) {
    try {
      return SandboxJson.mapper().readTree(value);
    } catch (JacksonException e) {
      throw ApiException.of(error);
    }
  }

  /** A {@code token} argument in the body (forms only; Slack ignores it in JSON and query). */
  @Nullable String formToken(String uri) {
    String value = text.get("token");
    if (value == null || jsonBody) {
      return null;
    }
    // Tokens in the query string are refused for apps created after February 2021.
    String query = RequestForm.parse(uri, null, new byte[0]).fields().get("token");
    return value.equals(query) ? null : value;
  }
}
