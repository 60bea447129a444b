package coop.relay.sandbox.discord.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An error answer of the REST API in Discord's JSON error shape: {@code {"message", "code"}} and,
 * for invalid form bodies (code 50035), the nested {@code errors} object with {@code _errors} lists.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final int code;
  final transient @Nullable ObjectNode errors;

  ApiError(int status, int code, String message, @Nullable ObjectNode errors) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.errors = errors;
  }

  static ApiError unauthorized() {
    return new ApiError(401, 0, "401: Unauthorized", null);
  }

  static ApiError notFound() {
    return new ApiError(404, 0, "404: Not Found", null);
  }

  static ApiError methodNotAllowed() {
    return new ApiError(405, 0, "405: Method Not Allowed", null);
  }

  static ApiError unknownChannel() {
    return new ApiError(404, 10003, "Unknown Channel", null);
  }

  static ApiError unknownMessage() {
    return new ApiError(404, 10008, "Unknown Message", null);
  }

  static ApiError unknownEmoji() {
    return new ApiError(400, 10014, "Unknown Emoji", null);
  }

  static ApiError unknownWebhook() {
    return new ApiError(404, 10015, "Unknown Webhook", null);
  }

  static ApiError invalidWebhookToken() {
    return new ApiError(401, 50027, "Invalid Webhook Token", null);
  }

  static ApiError missingPermissions() {
    return new ApiError(403, 50013, "Missing Permissions", null);
  }

  static ApiError notAuthor() {
    return new ApiError(403, 50005, "Cannot edit a message authored by another user", null);
  }

  static ApiError emptyMessage() {
    return new ApiError(400, 50006, "Cannot send an empty message", null);
  }

  static ApiError badRequest(int code, String message) {
    return new ApiError(400, code, message, null);
  }

  /** Discord's "Invalid Form Body" (50035) with one field error at a dotted path like {@code content}. */
  static ApiError invalidField(String path, String errorCode, String message) {
    ObjectNode errors = JsonNodeFactory.instance.objectNode();
    ObjectNode at = errors;
    for (String segment : path.split("\\.")) {
      at = at.withObjectProperty(segment);
    }
    ObjectNode error = at.putArray("_errors").addObject();
    error.put("code", errorCode);
    error.put("message", message);
    return new ApiError(400, 50035, "Invalid Form Body", errors);
  }

  ObjectNode body() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("message", getMessage());
    body.put("code", code);
    if (errors != null) {
      body.set("errors", errors);
    }
    return body;
  }
}
