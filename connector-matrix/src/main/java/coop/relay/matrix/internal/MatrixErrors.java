package coop.relay.matrix.internal;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.RateLimitedException;
import coop.relay.support.HttpResponse;
import coop.relay.support.Json;
import coop.relay.support.RetryAfter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What a failed homeserver answer means, from its status and the standard error body
 * ({@code errcode}, {@code error}, {@code retry_after_ms}): rejected credentials, a rate limit with
 * the wait the server asked for, a transient or a permanent failure. Messages name the action and
 * the error code, never a token.
 */
final class MatrixErrors {
  /** The wait when a 429 says nothing about how long: the spec makes both hints optional. */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
  private static final int MAX_ERROR_TEXT = 200;

  private MatrixErrors() {}

  /** The error code and text of a Matrix error body; empty strings when the body is not one. */
  record Body(String errcode, String error, @Nullable Long retryAfterMs) {
    static Body of(byte[] body) {
      if (body.length == 0) {
        return new Body("", "", null);
      }
      try {
        JsonNode json = Json.mapper().readTree(body);
        JsonNode retry = json.path("retry_after_ms");
        return new Body(json.path("errcode").asString(""), shorten(json.path("error").asString("")),
            retry.isNumber() ? retry.asLong() : null);
      } catch (JacksonException notJson) {
        return new Body("", "", null);
      }
    }
  }

  /** Whether the answer is a rate limit: HTTP 429 or {@code M_LIMIT_EXCEEDED}. */
  static boolean isRateLimited(HttpResponse response) {
    return response.status() == 429
        || (!response.isSuccessful() && Body.of(response.body()).errcode().equals("M_LIMIT_EXCEEDED"));
  }

  /** The wait of a rate-limit answer: the {@code Retry-After} header, else {@code retry_after_ms}. */
  static Duration retryAfter(HttpResponse response, Instant now) {
    Optional<Duration> header = RetryAfter.parseHeader(response.header("Retry-After"), now);
    if (header.isPresent()) {
      return header.get();
    }
    Long millis = Body.of(response.body()).retryAfterMs();
    return millis == null ? DEFAULT_RETRY_AFTER : RetryAfter.ofMillis(millis).orElse(DEFAULT_RETRY_AFTER);
  }

  /** The exception for a failed answer to {@code action}. */
  static RuntimeException failure(String connectorId, HttpResponse response, String action, Instant now) {
    Body body = Body.of(response.body());
    String code = body.errcode().isEmpty() ? "HTTP " + response.status() : body.errcode() + " (HTTP " + response.status() + ")";
    String said = body.error().isEmpty() ? "" : ": " + body.error();
    if (response.status() == 401 || body.errcode().equals("M_UNKNOWN_TOKEN") || body.errcode().equals("M_MISSING_TOKEN")) {
      return new CredentialsRejectedException(connectorId, action + " was refused with " + code + said
          + "; the access token (or as_token) is invalid or was revoked: configure a valid one", null);
    }
    if (isRateLimited(response)) {
      Duration wait = retryAfter(response, now);
      return new RateLimitedException(action + " was rate limited with " + code + "; retrying after " + wait, wait);
    }
    if (response.status() == 408 || response.status() >= 500) {
      return DeliveryException.transientFailure(action + " failed with " + code + said
          + "; the homeserver is having trouble, retrying later", null);
    }
    return new MatrixApiException(action + " was refused with " + code + said
        + "; retrying will not help, check the room, the account's permissions and the request", body.errcode(),
        response.status());
  }

  private static String shorten(String text) {
    return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
  }
}
