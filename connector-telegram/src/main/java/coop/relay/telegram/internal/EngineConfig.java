package coop.relay.telegram.internal;

import coop.relay.spi.Backoff;
import coop.relay.support.Secret;
import coop.relay.support.WebhookListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * The connector's options, checked by the public builder. Public only so that
 * {@code coop.relay.telegram.TelegramConnector} can hand them over; not API.
 *
 * @param id the connector id
 * @param token the bot token
 * @param baseUrl the Bot API server
 * @param pollTimeout the getUpdates {@code timeout}
 * @param backoff the waits between reconnection attempts
 * @param scheduler where timers run
 * @param maxUploadBytes the largest file uploaded; larger ones are sent as links
 * @param sendLimits whether Telegram's sending limits are kept by waiting
 * @param webhook the webhook settings, or {@code null} to long-poll
 * @param interceptors OkHttp interceptors for every request (tests check requests against the spec)
 */
public record EngineConfig(
    String id,
    Secret token,
    HttpUrl baseUrl,
    Duration pollTimeout,
    Backoff backoff,
    Scheduler scheduler,
    long maxUploadBytes,
    boolean sendLimits,
    @Nullable Webhook webhook,
    List<Interceptor> interceptors) {

  public EngineConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(pollTimeout, "pollTimeout");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(scheduler, "scheduler");
    interceptors = List.copyOf(interceptors);
  }

  /**
   * Webhook mode.
   *
   * @param url the public URL Telegram posts updates to
   * @param secretToken the value of {@code X-Telegram-Bot-Api-Secret-Token}
   * @param listener where the connector mounts its handler, or {@code null} when the integrator does
   * @param path the path prefix to mount at on {@code listener}
   * @param maxConnections how many requests Telegram may have in flight at once
   * @param healthCheckInterval how often {@code getWebhookInfo} checks that Telegram is reachable
   */
  public record Webhook(
      String url,
      Secret secretToken,
      @Nullable WebhookListener listener,
      String path,
      int maxConnections,
      Duration healthCheckInterval) {
    public Webhook {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(secretToken, "secretToken");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(healthCheckInterval, "healthCheckInterval");
    }
  }
}
