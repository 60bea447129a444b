package coop.relay.slack.internal;

import coop.relay.api.DeliveryException;

/**
 * Slack answered a Web API call with {@code "ok": false} and an error code that is neither about
 * credentials nor a rate limit. Callers that expect a code (a message already deleted, a reaction
 * already there) look at {@link #error()}; everyone else sees a {@link DeliveryException}.
 */
final class SlackApiError extends DeliveryException {
  private static final long serialVersionUID = 1L;
  private final String error;

  SlackApiError(String message, String error, boolean retryable) {
    super(message, null, retryable);
    this.error = error;
  }

  /** Slack's error code, e.g. {@code channel_not_found}. */
  String error() {
    return error;
  }

  /** Whether this failure is Slack's code {@code code}. */
  static boolean is(Throwable failure, String code) {
    return failure instanceof SlackApiError apiError && apiError.error.equals(code);
  }
}
