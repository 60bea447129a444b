package coop.relay.api;

import org.jspecify.annotations.Nullable;

/**
 * A connector could not deliver something to its platform. Connectors signal it from their send
 * methods; the relay retries it with backoff when {@link #isRetryable()} and reports it as a
 * {@code DeliveryFailed} event otherwise.
 */
public class DeliveryException extends RelayException {
  @java.io.Serial
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  /**
   * For subclasses; use the factories otherwise.
   *
   * @param message what failed and why
   * @param cause the underlying failure, or {@code null}
   * @param retryable whether the same request may succeed later
   */
  protected DeliveryException(String message, @Nullable Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** A failure that may pass if tried again later: a timeout, a 5xx, a dropped connection. */
  public static DeliveryException transientFailure(String message, @Nullable Throwable cause) {
    return new DeliveryException(message, cause, true);
  }

  /** A failure that will happen again: the channel is gone, the bot was removed, the content was refused. */
  public static DeliveryException permanent(String message) {
    return new DeliveryException(message, null, false);
  }

  /** Whether the same request may succeed later. */
  public boolean isRetryable() {
    return retryable;
  }
}
