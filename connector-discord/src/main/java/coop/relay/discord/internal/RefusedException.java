package coop.relay.discord.internal;

import coop.relay.api.DeliveryException;

/**
 * Discord answered a request with an error status. Carries the HTTP status and Discord's JSON
 * error code, so that the connector can react to particular refusals (a missing permission for
 * webhooks, an unknown message on delete).
 */
final class RefusedException extends DeliveryException {
  @java.io.Serial
  private static final long serialVersionUID = 1L;
  /** Missing Permissions. */
  static final int MISSING_PERMISSIONS = 50013;
  /** Missing Access. */
  static final int MISSING_ACCESS = 50001;
  /** Unknown Message. */
  static final int UNKNOWN_MESSAGE = 10008;
  /** Unknown Channel. */
  static final int UNKNOWN_CHANNEL = 10003;
  /** Unknown Webhook. */
  static final int UNKNOWN_WEBHOOK = 10015;
  /** A thread was already created for this message. */
  static final int THREAD_ALREADY_CREATED = 160004;

  private final int status;
  private final int code;

  RefusedException(String message, int status, int code, boolean retryable) {
    super(message, null, retryable);
    this.status = status;
    this.code = code;
  }

  /** The HTTP status. */
  int status() {
    return status;
  }

  /** Discord's JSON error code, or 0 when the body had none. */
  int code() {
    return code;
  }
}
