package coop.relay.slack.internal;

import coop.relay.spi.Backoff;
import coop.relay.support.Secret;
import coop.relay.support.WebhookListener;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * The checked options of a Slack connector, as {@code SlackConnector.Builder} collected them.
 *
 * @param id the connector id
 * @param baseUrl the Web API base, e.g. {@code https://slack.com/api}
 * @param botToken the bot token ({@code xoxb-...})
 * @param appToken the app-level token for Socket Mode, or {@code null} for the Events API
 * @param signingSecret the signing secret for the Events API, or {@code null} for Socket Mode
 * @param webhookPort the port of the connector's own Events API listener, or {@code null}
 * @param webhookHost the address that listener binds
 * @param webhookPath the path Slack posts events to
 * @param webhookListener a shared listener to mount the endpoint on, or {@code null}
 * @param okHttpClient the OkHttp client to derive from, or {@code null} for the shared one
 * @param scheduler where waits run and what tells the time
 * @param reconnectBackoff the waits between reconnection attempts
 * @param maxAttachmentBytes the largest file uploaded; larger ones are linked
 * @param unfurl whether Slack may unfurl links and media in bridged messages
 */
public record SlackSettings(
    String id,
    HttpUrl baseUrl,
    Secret botToken,
    @Nullable Secret appToken,
    @Nullable Secret signingSecret,
    @Nullable Integer webhookPort,
    String webhookHost,
    String webhookPath,
    @Nullable WebhookListener webhookListener,
    @Nullable OkHttpClient okHttpClient,
    Scheduler scheduler,
    Backoff reconnectBackoff,
    long maxAttachmentBytes,
    boolean unfurl) {

  /** Checks the required components. */
  public SlackSettings {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(botToken, "botToken");
    Objects.requireNonNull(webhookHost, "webhookHost");
    Objects.requireNonNull(webhookPath, "webhookPath");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(reconnectBackoff, "reconnectBackoff");
    if ((appToken == null) == (signingSecret == null)) {
      throw new IllegalArgumentException("exactly one of appToken and signingSecret is set");
    }
  }

  /** Whether the connector receives through Socket Mode (else through the Events API). */
  public boolean socketMode() {
    return appToken != null;
  }

  /** Tokens never show: the record's default would print them through {@link Secret#toString()} anyway. */
  @Override
  public String toString() {
    return "SlackSettings[id=" + id + ", baseUrl=" + baseUrl + ", mode=" + (socketMode() ? "socket" : "events") + "]";
  }
}
