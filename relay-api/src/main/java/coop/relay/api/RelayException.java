package coop.relay.api;

import org.jspecify.annotations.Nullable;

/**
 * The root of Relay's unchecked exceptions. Messages say what went wrong and what to do about it,
 * and never contain a secret.
 */
public class RelayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RelayException(String message) {
    super(message);
  }

  public RelayException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
