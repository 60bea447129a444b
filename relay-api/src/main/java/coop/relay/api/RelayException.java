package coop.relay.api;

import org.jspecify.annotations.Nullable;

/**
 * The root of Relay's unchecked exceptions. Messages say what went wrong and what to do about it,
 * and never contain a secret.
 */
public class RelayException extends RuntimeException {
  @java.io.Serial
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong and what to do about it */
  public RelayException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong and what to do about it
   * @param cause the underlying failure, or {@code null}
   */
  public RelayException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
