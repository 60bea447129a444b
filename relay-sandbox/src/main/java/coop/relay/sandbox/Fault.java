package coop.relay.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault to inject into the next requests of a platform API method. Each emulator answers it in
 * the platform's own way.
 *
 * @param method the platform's method or route the fault applies to (Telegram {@code sendMessage},
 *     Slack {@code chat.postMessage}, Discord {@code POST /channels/{id}/messages}), or {@code *}
 *     for every request of the platform API (never the control API)
 * @param times how many matching requests fail, at least 1
 * @param kind how they fail
 * @param status the HTTP status for {@link Kind#SERVER_ERROR} (500-599); 429 for {@link
 *     Kind#RATE_LIMITED}; 0 for {@link Kind#DROP_CONNECTION}
 * @param retryAfter the wait the platform asks for with {@link Kind#RATE_LIMITED}, else zero; in
 *     JSON, an ISO-8601 duration ({@code "PT5S"}) or a number of seconds
 */
public record Fault(String method, int times, Kind kind, int status, Duration retryAfter) {

  /** How a request fails. */
  public enum Kind {
    /** The platform's rate-limit answer (HTTP 429 with its retry-after). */
    RATE_LIMITED,
    /** An HTTP 5xx answer in the platform's error shape. */
    SERVER_ERROR,
    /** The connection is closed without an answer. */
    DROP_CONNECTION
  }

  /** The wildcard method that matches every platform API request. */
  public static final String ANY_METHOD = "*";

  /** @throws IllegalArgumentException if the fields contradict each other; the message says which */
  public Fault {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(kind, "kind");
    if (method.isBlank()) {
      throw new IllegalArgumentException("fault method must name a platform method or be \"*\"");
    }
    if (times < 1) {
      throw new IllegalArgumentException("fault times must be at least 1, was " + times);
    }
    retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative");
    }
    switch (kind) {
      case RATE_LIMITED -> status = 429;
      case DROP_CONNECTION -> status = 0;
      case SERVER_ERROR -> {
        if (status == 0) {
          status = 500;
        } else if (status < 500 || status > 599) {
          throw new IllegalArgumentException("a server error's status must be 500-599, was " + status);
        }
      }
    }
  }

  /** The next {@code times} requests to {@code method} are rate limited for {@code retryAfter}. */
  public static Fault rateLimited(String method, int times, Duration retryAfter) {
    return new Fault(method, times, Kind.RATE_LIMITED, 429, retryAfter);
  }

  /** The next {@code times} requests to {@code method} answer HTTP {@code status} (500-599). */
  public static Fault serverError(String method, int times, int status) {
    return new Fault(method, times, Kind.SERVER_ERROR, status, Duration.ZERO);
  }

  /** The next {@code times} requests to {@code method} have their connection closed unanswered. */
  public static Fault dropConnection(String method, int times) {
    return new Fault(method, times, Kind.DROP_CONNECTION, 0, Duration.ZERO);
  }

  /** Whether this fault applies to a request of {@code requestMethod}. */
  public boolean matches(String requestMethod) {
    return method.equals(ANY_METHOD) || method.equalsIgnoreCase(requestMethod);
  }
}
