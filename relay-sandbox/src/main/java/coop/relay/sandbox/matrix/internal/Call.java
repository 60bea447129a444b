package coop.relay.sandbox.matrix.internal;

import coop.relay.sandbox.internal.SandboxJson;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One client-server API request, matched to its route: path parameters, query, body and requester. */
final class Call {
  final String method;
  final String path;
  final Map<String, String> params;
  final Map<String, List<String>> query;
  final HttpHeaders headers;
  final byte[] body;
  final @Nullable Requester requester;

  Call(String method, String path, Map<String, String> params, Map<String, List<String>> query, HttpHeaders headers,
      byte[] body, @Nullable Requester requester) {
    this.method = method;
    this.path = path;
    this.params = params;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.requester = requester;
  }

  Requester who() {
    if (requester == null) {
      throw MatrixError.missingToken();
    }
    return requester;
  }

  String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw MatrixError.missingParam("missing path parameter " + name);
    }
    return v;
  }

  @Nullable String query(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /**
   * The body as a JSON object; an empty body counts as {@code {}}.
   *
   * @throws MatrixError M_NOT_JSON if it is not JSON, M_BAD_JSON if it is not an object
   */
  ObjectNode json() {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return SandboxJson.mapper().createObjectNode();
    }
    JsonNode node;
    try {
      node = SandboxJson.mapper().readTree(text);
    } catch (JacksonException e) {
      throw MatrixError.notJson("Content not JSON.");
    }
    if (!(node instanceof ObjectNode obj)) {
      throw MatrixError.badJson("Content must be a JSON object.");
    }
    return obj;
  }

  static @Nullable String string(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw MatrixError.badJson(field + " must be a string");
    }
    return v.asString();
  }

  static String required(ObjectNode body, String field) {
    String v = string(body, field);
    if (v == null) {
      throw MatrixError.missingParam("Missing " + field);
    }
    return v;
  }
}
