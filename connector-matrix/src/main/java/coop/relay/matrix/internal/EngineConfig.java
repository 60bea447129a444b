package coop.relay.matrix.internal;

import coop.relay.matrix.AppserviceRegistration;
import coop.relay.spi.Backoff;
import coop.relay.support.Secret;
import coop.relay.support.WebhookListener;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * Everything {@code MatrixConnector.Builder} collected, checked. Public only for that builder; not API.
 *
 * @param id the connector id
 * @param baseUrl the homeserver's client-server API base URL
 * @param token the access token (client mode) or the as_token (appservice mode)
 * @param appservice the application-service settings, or {@code null} in client mode
 * @param pollTimeout how long one {@code /sync} waits for events
 * @param timelineLimit the filter's timeline limit per room and sync
 * @param gapFillLimit at most this many events are fetched to fill a limited timeline's gap
 * @param backoff the waits between attempts to reach the homeserver again
 * @param scheduler where waits run
 * @param maxUploadBytes the largest file uploaded; larger ones are sent as links
 * @param maxTextLength the longest text of one event; longer texts are split
 * @param healthCheckInterval how often appservice mode checks that the homeserver is reachable
 * @param interceptors OkHttp interceptors that see every request (tests check them against the spec)
 */
public record EngineConfig(
    String id,
    HttpUrl baseUrl,
    Secret token,
    @Nullable Appservice appservice,
    Duration pollTimeout,
    int timelineLimit,
    int gapFillLimit,
    Backoff backoff,
    Scheduler scheduler,
    long maxUploadBytes,
    int maxTextLength,
    Duration healthCheckInterval,
    List<Interceptor> interceptors) {

  /** Checks the components. */
  public EngineConfig {
    interceptors = List.copyOf(interceptors);
  }

  /**
   * The application-service settings.
   *
   * @param registration the registration the connector runs as
   * @param listener where the handler is mounted, or {@code null} when the integrator serves it
   * @param pathPrefix the path before {@code /_matrix/app/v1} on the listener, empty or starting with {@code /}
   * @param ownListener whether the connector starts and stops the listener itself
   */
  public record Appservice(AppserviceRegistration registration, @Nullable WebhookListener listener, String pathPrefix,
      boolean ownListener) {}
}
