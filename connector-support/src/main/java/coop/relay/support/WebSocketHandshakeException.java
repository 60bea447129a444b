package coop.relay.support;

import coop.relay.api.DeliveryException;
import org.jspecify.annotations.Nullable;

/**
 * The server answered the WebSocket upgrade with an HTTP status instead of switching protocols.
 * Retryable unless the status is a 4xx other than 408 and 429 (a wrong URL or rejected credentials
 * will be refused again).
 */
public final class WebSocketHandshakeException extends DeliveryException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /**
   * @param message what failed and what to do, without secrets
   * @param status the HTTP status of the handshake response
   */
  public WebSocketHandshakeException(String message, int status, @Nullable Throwable cause) {
    super(message, cause, !(status >= 400 && status < 500 && status != 408 && status != 429));
    this.status = status;
  }

  /** The HTTP status the server answered the upgrade with. */
  public int status() {
    return status;
  }
}
