package coop.relay.support;

import coop.relay.api.DeliveryException;
import coop.relay.api.RateLimitedException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A complete HTTP response: status, headers and the whole body, read before this value exists. Every
 * status is a response, not an error: the platform layer decides what a 4xx means.
 *
 * <p>The body array is shared, not copied, so reading it allocates nothing; treat it as read-only.
 * {@link #toString()} shows the size of the body, never its content.
 *
 * @param status the HTTP status code
 * @param headers the response headers
 * @param body the body bytes, empty when there was none
 */
public record HttpResponse(int status, HttpHeaders headers, byte[] body) {
  private static final byte[] EMPTY = new byte[0];

  public HttpResponse {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("HTTP status must be a three-digit code, was " + status);
    }
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
  }

  /** A response with no body. */
  public static HttpResponse of(int status, HttpHeaders headers) {
    return new HttpResponse(status, headers, EMPTY);
  }

  /** Whether the status is 2xx. */
  public boolean isSuccessful() {
    return status >= 200 && status < 300;
  }

  /** The first value of header {@code name} (any case), or {@code null}. */
  public @Nullable String header(String name) {
    return headers.first(name);
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body as a stream over the shared array (no copy). */
  public InputStream bodyAsStream() {
    return new ByteArrayInputStream(body);
  }

  /**
   * The generic meaning of a failed status, for platforms without a better one: 429 becomes a
   * {@link RateLimitedException} with the {@code Retry-After} header's wait (or
   * {@code defaultRetryAfter}); 408, 425 and 5xx a transient failure; anything else a permanent one.
   * The message names {@code action} and the status, never the body.
   *
   * @param action what was attempted, for the message, e.g. {@code "sendMessage to chat 42"}
   * @param now the current time, to read an HTTP-date {@code Retry-After}
   */
  public DeliveryException toFailure(String action, Duration defaultRetryAfter, Instant now) {
    if (status == 429) {
      Duration wait = RetryAfter.parseHeader(header("Retry-After"), now).orElse(defaultRetryAfter);
      return new RateLimitedException(action + " was rate limited (HTTP 429); retrying after " + wait, wait);
    }
    if (status == 408 || status == 425 || status >= 500) {
      return DeliveryException.transientFailure(
          action + " failed with HTTP " + status + "; the platform is having trouble, retrying later", null);
    }
    return DeliveryException.permanent(
        action + " was refused with HTTP " + status + "; retrying will not help, check the request and permissions");
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof HttpResponse response
        && status == response.status
        && headers.equals(response.headers)
        && Arrays.equals(body, response.body);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "HttpResponse[status=" + status + ", headers=" + headers + ", body=" + body.length + " bytes]";
  }
}
