package coop.relay.sandbox.slack.internal;

import org.jspecify.annotations.Nullable;

/**
 * A Web API call that Slack answers with {@code {"ok":false,"error":"..."}}: HTTP 200 for almost
 * every error, as on Slack, 429 with {@code Retry-After} when rate limited, 404 for an unknown
 * method.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String error;
  final long retryAfterSeconds;
  final @Nullable String needed;

  private ApiException(int status, String error, long retryAfterSeconds, @Nullable String needed) {
    super(error, null, false, false);
    this.status = status;
    this.error = error;
    this.retryAfterSeconds = retryAfterSeconds;
    this.needed = needed;
  }

  /** {@code ok:false} with HTTP 200, the usual Slack error answer. */
  static ApiException of(String error) {
    return new ApiException(200, error, 0, null);
  }

  /** {@code missing_scope} with the scope the app would need. */
  static ApiException missingScope(String needed) {
    return new ApiException(200, "missing_scope", 0, needed);
  }

  /** HTTP 429 {@code ratelimited} with a {@code Retry-After} of {@code seconds}. */
  static ApiException rateLimited(long seconds) {
    return new ApiException(429, "ratelimited", Math.max(1, seconds), null);
  }

  /** HTTP 404 {@code unknown_method}. */
  static ApiException unknownMethod() {
    return new ApiException(404, "unknown_method", 0, null);
  }
}
