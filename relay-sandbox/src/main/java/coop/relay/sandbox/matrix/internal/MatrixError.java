package coop.relay.sandbox.matrix.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A client-server API request the homeserver refuses, answered with the spec's standard error
 * response: {@code {"errcode":"M_...","error":"..."}} plus any extra keys, with an HTTP status.
 */
final class MatrixError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String errcode;
  final transient Map<String, Object> extra = new LinkedHashMap<>();
  /** For 429 answers: the wait in milliseconds, also sent as the Retry-After header. */
  final @Nullable Long retryAfterMs;

  MatrixError(int status, String errcode, String message) {
    this(status, errcode, message, null);
  }

  private MatrixError(int status, String errcode, String message, @Nullable Long retryAfterMs) {
    super(message, null, false, false);
    this.status = status;
    this.errcode = errcode;
    this.retryAfterMs = retryAfterMs;
  }

  MatrixError with(String key, Object value) {
    extra.put(key, value);
    return this;
  }

  static MatrixError forbidden(String message) {
    return new MatrixError(403, "M_FORBIDDEN", message);
  }

  static MatrixError notFound(String message) {
    return new MatrixError(404, "M_NOT_FOUND", message);
  }

  static MatrixError badJson(String message) {
    return new MatrixError(400, "M_BAD_JSON", message);
  }

  static MatrixError notJson(String message) {
    return new MatrixError(400, "M_NOT_JSON", message);
  }

  static MatrixError invalidParam(String message) {
    return new MatrixError(400, "M_INVALID_PARAM", message);
  }

  static MatrixError missingParam(String message) {
    return new MatrixError(400, "M_MISSING_PARAM", message);
  }

  static MatrixError unknown(int status, String message) {
    return new MatrixError(status, "M_UNKNOWN", message);
  }

  static MatrixError unrecognized(int status, String message) {
    return new MatrixError(status, "M_UNRECOGNIZED", message);
  }

  static MatrixError missingToken() {
    return new MatrixError(401, "M_MISSING_TOKEN", "Missing access token.");
  }

  static MatrixError unknownToken() {
    return new MatrixError(401, "M_UNKNOWN_TOKEN", "Unrecognised access token.").with("soft_logout", false);
  }

  static MatrixError limitExceeded(long retryAfterMs) {
    return new MatrixError(429, "M_LIMIT_EXCEEDED", "Too Many Requests", retryAfterMs);
  }
}
