package coop.relay.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link WebhookHandler} answers, as a plain value. The body array is shared, not copied.
 *
 * @param status the HTTP status code
 * @param headers the response headers
 * @param body the body bytes, empty for none
 */
public record WebhookResponse(int status, HttpHeaders headers, byte[] body) {
  private static final byte[] EMPTY = new byte[0];
  private static final WebhookResponse OK = new WebhookResponse(200, HttpHeaders.empty(), EMPTY);

  public WebhookResponse {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("HTTP status must be a three-digit code, was " + status);
    }
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
  }

  /** 200 with no body: the usual acknowledgement. */
  public static WebhookResponse ok() {
    return OK;
  }

  /** {@code status} with no body. */
  public static WebhookResponse status(int status) {
    return new WebhookResponse(status, HttpHeaders.empty(), EMPTY);
  }

  /** {@code status} with a UTF-8 plain-text body. */
  public static WebhookResponse text(int status, String text) {
    return new WebhookResponse(status, HttpHeaders.of("Content-Type", "text/plain; charset=utf-8"),
        text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code status} with a JSON body, e.g. Slack's {@code url_verification} answer or Matrix's {@code {}}. */
  public static WebhookResponse json(int status, String json) {
    return json(status, json.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code status} with a JSON body given as bytes (e.g. from {@code Json.mapper().writeValueAsBytes}). */
  public static WebhookResponse json(int status, byte[] json) {
    return new WebhookResponse(status, HttpHeaders.of("Content-Type", "application/json"), json);
  }

  /** A copy with header {@code name} added. */
  public WebhookResponse withHeader(String name, String value) {
    return new WebhookResponse(status, headers.with(name, value), body);
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof WebhookResponse response
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
    return "WebhookResponse[status=" + status + ", headers=" + headers + ", body=" + body.length + " bytes]";
  }
}
