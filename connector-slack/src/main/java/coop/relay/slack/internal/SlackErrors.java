package coop.relay.slack.internal;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.RateLimitedException;
import coop.relay.api.RelayException;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What Slack's {@code "ok": false} error codes mean for the relay. Slack answers HTTP 200 for almost
 * every failure, so the code is all there is: it decides between bad credentials (the connector
 * cannot work until reconfigured), a rate limit (wait as told), a channel the bot cannot post in (a
 * permanent failure that names the channel), a hiccup worth retrying, or a refusal.
 */
final class SlackErrors {
  /** The token is not (or no longer) valid. */
  static final Set<String> CREDENTIALS = Set.of(
      "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired", "no_such_token");

  /** The bot cannot use the channel. */
  static final Set<String> CHANNEL = Set.of(
      "channel_not_found", "not_in_channel", "is_archived", "channel_is_archived", "restricted_action",
      "team_access_not_granted");

  /** Slack had trouble; the same call may pass later. */
  static final Set<String> TRANSIENT = Set.of(
      "internal_error", "fatal_error", "request_timeout", "service_unavailable", "ratelimited_internal");

  /** Slack's wait when a rate-limit answer has no {@code Retry-After}. */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  private SlackErrors() {}

  /** Whether the code is Slack's rate-limit answer (which it spells two ways). */
  static boolean isRateLimit(String error) {
    return error.equals("ratelimited") || error.equals("rate_limited");
  }

  /**
   * The exception for error {@code error} of a call.
   *
   * @param connectorId the connector, for credential failures
   * @param method the Web API method, e.g. {@code chat.postMessage}
   * @param channel the channel the call was about, or {@code null}
   * @param needed the scope Slack says is missing, or {@code null}
   * @param retryAfter the wait Slack asked for, for rate limits
   */
  static RelayException toException(String connectorId, String method, @Nullable String channel, String error,
      @Nullable String needed, Duration retryAfter) {
    if (CREDENTIALS.contains(error)) {
      return new CredentialsRejectedException(connectorId, "Slack rejected the bot token on " + method + " (" + error
          + "); issue a new bot token (xoxb-...) for the app and reconfigure the connector", null);
    }
    if (isRateLimit(error)) {
      return new RateLimitedException("Slack rate limited " + method + where(channel) + "; retrying after " + retryAfter,
          retryAfter);
    }
    if (CHANNEL.contains(error)) {
      return new SlackApiError("Slack cannot " + method + " in channel " + channel + " (" + error
          + "); check the channel id and invite the bot into the channel (/invite @yourbot)", error, false);
    }
    if (error.equals("missing_scope") || error.equals("no_permission") || error.equals("not_allowed_token_type")) {
      return new SlackApiError("Slack refused " + method + where(channel) + " (" + error + ")"
          + (needed == null ? "" : ", the app needs the scope " + needed)
          + "; add the scope in the app's OAuth settings and reinstall it", error, false);
    }
    if (TRANSIENT.contains(error)) {
      return new SlackApiError("Slack failed " + method + where(channel) + " (" + error + "); retrying later", error, true);
    }
    return new SlackApiError("Slack refused " + method + where(channel) + " (" + error + ")", error, false);
  }

  /** The exception for a failed {@code apps.connections.open}, where credential codes concern the app token. */
  static RelayException forConnectionsOpen(String connectorId, String error, Duration retryAfter) {
    if (CREDENTIALS.contains(error)) {
      return new CredentialsRejectedException(connectorId, "Slack rejected the app-level token on apps.connections.open ("
          + error + "); create an app-level token (xapp-...) with the connections:write scope", null);
    }
    if (error.equals("not_allowed_token_type") || error.equals("missing_scope")) {
      return new InvalidConfigurationException("Slack refused apps.connections.open (" + error
          + "); appToken must be an app-level token (xapp-...) with the connections:write scope, not the bot token");
    }
    return toException(connectorId, "apps.connections.open", null, error, null, retryAfter);
  }

  private static String where(@Nullable String channel) {
    return channel == null ? "" : " in channel " + channel;
  }
}
