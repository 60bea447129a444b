package coop.relay.support;

import coop.relay.api.InvalidConfigurationException;
import coop.relay.support.internal.OkHttpExchange;
import coop.relay.support.internal.OkHttpWebSocketFlux;
import coop.relay.support.internal.SharedOkHttp;
import java.time.Duration;
import java.util.Objects;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * OkHttp as {@code Mono}s and {@code Flux}es: HTTP exchanges that read the whole response
 * ({@link #execute}) and WebSocket connections as event streams ({@link #webSocket}). Calls are
 * enqueued on OkHttp's dispatcher, never blocking the subscriber, and cancelling a subscription
 * cancels the call or closes the socket.
 *
 * <p>By default every instance derives from one process-wide OkHttp client, so all connectors share
 * its connection pool and threads. Immutable and thread-safe; create one per connector (each with
 * its own {@link Redactor}) and keep it.
 *
 * <pre>{@code
 * ReactiveHttpClient http = ReactiveHttpClient.builder()
 *     .userAgent("DiscordBot (https://example.org, 1.0)")
 *     .redactor(Redactor.of(token))
 *     .build();
 * http.execute(request).map(response -> ...);
 * }</pre>
 */
public final class ReactiveHttpClient {
  /** Bodies above this fail the exchange unless configured otherwise: 64 MiB. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

  private final OkHttpClient client;
  private final long maxResponseBytes;
  private final Redactor redactor;

  private ReactiveHttpClient(OkHttpClient client, long maxResponseBytes, Redactor redactor) {
    this.client = client;
    this.maxResponseBytes = maxResponseBytes;
    this.redactor = redactor;
  }

  /** A builder with the defaults: connect 10 s, read and write 30 s, 64 MiB bodies. */
  public static Builder builder() {
    return new Builder();
  }

  /** A client with all defaults. */
  public static ReactiveHttpClient create() {
    return builder().build();
  }

  /**
   * Sends {@code request} and reads the whole response.
   *
   * <p>Lazy: each subscription sends the request anew (so {@code retryWhen} re-sends it). Emits the
   * response whatever its status. Fails with a transient {@link coop.relay.api.DeliveryException}
   * when the connection fails or times out, and with a permanent one when the body is larger than
   * the configured maximum. Cancelling cancels the OkHttp call. Messages name the method and the
   * URL with credentials removed by the {@link Redactor}.
   */
  public Mono<HttpResponse> execute(Request request) {
    Objects.requireNonNull(request, "request");
    return OkHttpExchange.execute(client, request, maxResponseBytes, redactor);
  }

  /**
   * Opens a WebSocket; see {@link #webSocket(Request, CloseStatus)}. Cancelling closes the connection
   * with 1000 (normal closure).
   */
  public Flux<WebSocketEvent> webSocket(Request request) {
    return webSocket(request, CloseStatus.NORMAL);
  }

  /**
   * Opens a WebSocket ({@code wss://} or {@code https://} URL) and emits what happens on it: first
   * {@link WebSocketEvent.Opened} with the {@link WebSocketSender}, then the frames as they arrive,
   * then {@link WebSocketEvent.Closing} and {@link WebSocketEvent.Closed} when the peer closes, after
   * which the flux completes.
   *
   * <p>Lazy: each subscription opens a new connection. Frames that arrive faster than they are
   * requested are buffered. Fails with a {@link WebSocketHandshakeException} when the server refuses
   * the upgrade, and with a transient {@link coop.relay.api.DeliveryException} when the connection
   * breaks; it never fails for a clean close.
   *
   * @param closeOnCancel the close frame to send when the subscriber cancels, or {@code null} to
   *     drop the connection without one (Discord keeps a session resumable only then)
   */
  public Flux<WebSocketEvent> webSocket(Request request, @Nullable CloseStatus closeOnCancel) {
    Objects.requireNonNull(request, "request");
    return OkHttpWebSocketFlux.connect(client, request, closeOnCancel, redactor);
  }

  /**
   * A client for long polls: the same pool, threads and settings, with a read timeout of
   * {@code readTimeout}. Give it a margin over the poll's own timeout (Telegram's {@code timeout},
   * Matrix's {@code /sync?timeout}), so the server answers before the client gives up.
   */
  public ReactiveHttpClient withReadTimeout(Duration readTimeout) {
    Builder.requirePositiveOrZero(readTimeout, "readTimeout");
    return new ReactiveHttpClient(client.newBuilder().readTimeout(readTimeout).build(), maxResponseBytes, redactor);
  }

  /** The underlying OkHttp client, for what this class does not cover (streaming downloads). */
  public OkHttpClient okHttpClient() {
    return client;
  }

  /** The redactor used for messages about requests. */
  public Redactor redactor() {
    return redactor;
  }

  @Override
  public String toString() {
    return "ReactiveHttpClient[readTimeout=" + client.readTimeoutMillis() + "ms, maxResponseBytes=" + maxResponseBytes + "]";
  }

  /** Options of a {@link ReactiveHttpClient}; not thread-safe. */
  public static final class Builder {
    private @Nullable OkHttpClient base;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration writeTimeout = Duration.ofSeconds(30);
    private Duration pingInterval = Duration.ZERO;
    private @Nullable String userAgent;
    private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private Redactor redactor = Redactor.defaults();

    private Builder() {}

    /**
     * Derives from this OkHttp client (sharing its pool and dispatcher) instead of the process-wide
     * one; the timeouts of this builder still apply.
     */
    public Builder okHttpClient(OkHttpClient client) {
      this.base = Objects.requireNonNull(client, "okHttpClient");
      return this;
    }

    /** How long to wait for a connection; zero means no limit. Default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = requirePositiveOrZero(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long to wait for the next bytes of a response; zero means no limit. Default 30 s. Long
     * polls use {@link ReactiveHttpClient#withReadTimeout} instead.
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = requirePositiveOrZero(timeout, "readTimeout");
      return this;
    }

    /** How long to wait while sending a request; zero means no limit. Default 30 s. */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = requirePositiveOrZero(timeout, "writeTimeout");
      return this;
    }

    /**
     * How often to send WebSocket pings (and fail the connection when a pong does not come back);
     * zero, the default, sends none, for platforms with their own heartbeat.
     */
    public Builder pingInterval(Duration interval) {
      this.pingInterval = requirePositiveOrZero(interval, "pingInterval");
      return this;
    }

    /** The {@code User-Agent} of every request that does not set its own; default OkHttp's. */
    public Builder userAgent(String userAgent) {
      if (userAgent.isBlank()) {
        throw new InvalidConfigurationException("userAgent must not be blank; leave it unset for OkHttp's default");
      }
      this.userAgent = userAgent;
      return this;
    }

    /** The largest response body {@link #execute} reads; default 64 MiB. */
    public Builder maxResponseBytes(long bytes) {
      if (bytes < 0) {
        throw new InvalidConfigurationException("maxResponseBytes must not be negative, was " + bytes);
      }
      this.maxResponseBytes = bytes;
      return this;
    }

    /** Removes credentials from the URLs and messages in errors; default masks only query parameters. */
    public Builder redactor(Redactor redactor) {
      this.redactor = Objects.requireNonNull(redactor, "redactor");
      return this;
    }

    /** The client. */
    public ReactiveHttpClient build() {
      OkHttpClient.Builder builder = (base == null ? SharedOkHttp.base() : base).newBuilder()
          .connectTimeout(connectTimeout)
          .readTimeout(readTimeout)
          .writeTimeout(writeTimeout)
          .pingInterval(pingInterval);
      String agent = userAgent;
      if (agent != null) {
        builder.addInterceptor(chain -> chain.request().header("User-Agent") != null
            ? chain.proceed(chain.request())
            : chain.proceed(chain.request().newBuilder().header("User-Agent", agent).build()));
      }
      return new ReactiveHttpClient(builder.build(), maxResponseBytes, redactor);
    }

    static Duration requirePositiveOrZero(Duration duration, String what) {
      Objects.requireNonNull(duration, what);
      if (duration.isNegative()) {
        throw new InvalidConfigurationException(what + " must not be negative, was " + duration);
      }
      return duration;
    }
  }
}
