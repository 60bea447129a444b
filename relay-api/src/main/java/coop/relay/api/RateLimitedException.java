package coop.relay.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The platform asked us to wait before trying again. The relay waits exactly {@link #retryAfter()}
 * (not a backoff guess) before the next attempt on that destination.
 */
public class RateLimitedException extends DeliveryException {
  @java.io.Serial
  private static final long serialVersionUID = 1L;
  private final Duration retryAfter;

  /**
   * @param message what was limited
   * @param retryAfter how long the platform asked us to wait
   */
  public RateLimitedException(String message, Duration retryAfter) {
    super(message, null, true);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
    }
  }

  /** How long the platform asked us to wait. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
