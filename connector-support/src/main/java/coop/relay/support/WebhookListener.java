package coop.relay.support;

import coop.relay.api.InvalidConfigurationException;
import coop.relay.support.internal.JdkWebhookServer;
import coop.relay.support.internal.WebhookRoutes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The default home of {@link WebhookHandler}s: an HTTP listener on the JDK's built-in server
 * ({@code com.sun.net.httpserver}), so webhooks work without another dependency. Several connectors
 * can share one listener, each under its own path prefix.
 *
 * <pre>{@code
 * WebhookListener listener = WebhookListener.builder()
 *     .port(8443)
 *     .route("/telegram", telegramHandler)
 *     .route("/slack/events", slackHandler)
 *     .build();
 * listener.start().block();   // in an application's main; library code composes the Mono
 * ...
 * listener.stop().block();
 * }</pre>
 *
 * <p>Requests go to the handler with the longest matching prefix; other paths get 404. The body is
 * read completely (up to {@code maxBodyBytes}, else 413) before the handler sees it; a handler that
 * does not answer within {@code responseTimeout} gets cancelled and the platform receives 503. Put
 * TLS in front of it (a reverse proxy): the platforms require HTTPS. Thread-safe.
 */
public final class WebhookListener {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookListener.class);

  private final String host;
  private final int port;
  private final int threads;
  private final Duration stopTimeout;
  private final JdkWebhookServer.Limits limits;
  private final WebhookRoutes routes = new WebhookRoutes();
  private @Nullable JdkWebhookServer server;

  private WebhookListener(Builder builder, int port) {
    this.host = builder.host;
    this.port = port;
    this.threads = builder.threads;
    this.stopTimeout = builder.stopTimeout;
    this.limits = new JdkWebhookServer.Limits(builder.maxBodyBytes, builder.responseTimeout, builder.scheduler);
    builder.routes.forEach(route -> routes.add(route.prefix(), route.handler()));
  }

  /** A builder; {@link Builder#port} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the address and starts answering. Completes once the socket is listening; completes at
   * once when already started. Fails with {@link InvalidConfigurationException} when the address
   * cannot be bound (the port is taken, the host is not local). The listener can be started again
   * after {@link #stop()}.
   */
  public Mono<Void> start() {
    return Mono.fromCallable(() -> {
      synchronized (this) {
        if (server == null) {
          try {
            server = JdkWebhookServer.start(new InetSocketAddress(host, port), threads, routes, limits);
          } catch (IOException | RuntimeException e) {
            throw new InvalidConfigurationException("cannot listen for webhooks on " + host + ":" + port + " ("
                + e.getClass().getSimpleName() + "); choose a free port and a local address");
          }
          LOG.info("Listening for webhooks on {}", server.address());
        }
        return server;
      }
    }).subscribeOn(Schedulers.boundedElastic()).then();
  }

  /**
   * Stops: new requests get 503, requests in flight get up to {@code stopTimeout} to be answered,
   * then the socket and threads close. Completes when closed; completes at once when not started.
   */
  public Mono<Void> stop() {
    return Mono.defer(() -> {
      JdkWebhookServer running;
      synchronized (this) {
        running = server;
        server = null;
      }
      return running == null ? Mono.<Void>empty() : running.stop(stopTimeout);
    });
  }

  /**
   * The port the listener is bound to: the configured one, or the one the system chose for port 0.
   *
   * @throws IllegalStateException when the listener is not started
   */
  public int port() {
    return address().getPort();
  }

  /**
   * The address the listener is bound to.
   *
   * @throws IllegalStateException when the listener is not started
   */
  public synchronized InetSocketAddress address() {
    JdkWebhookServer running = server;
    if (running == null) {
      throw new IllegalStateException("the webhook listener is not started; subscribe to start() first");
    }
    return running.address();
  }

  /**
   * Mounts {@code handler} under {@code pathPrefix} while the listener runs (or before it starts),
   * e.g. when a connector starts in webhook mode.
   *
   * @return disposing it unmounts the handler; later requests to the prefix get 404
   * @throws IllegalStateException when a handler is already mounted at the prefix
   * @throws IllegalArgumentException when the prefix does not start with {@code /}
   */
  public Disposable mount(String pathPrefix, WebhookHandler handler) {
    Objects.requireNonNull(handler, "handler");
    WebhookRoutes.Route route = routes.add(pathPrefix, handler);
    return () -> routes.remove(route);
  }

  @Override
  public String toString() {
    return "WebhookListener[" + host + ":" + port + "]";
  }

  /** Options of a {@link WebhookListener}; not thread-safe. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private @Nullable Integer port;
    private int threads = 2;
    private long maxBodyBytes = 2L * 1024 * 1024;
    private Duration responseTimeout = Duration.ofSeconds(10);
    private Duration stopTimeout = Duration.ofSeconds(5);
    private Scheduler scheduler = Schedulers.parallel();
    private final List<WebhookRoutes.Route> routes = new ArrayList<>();

    private Builder() {}

    /** The address to bind; default {@code 0.0.0.0} (every interface). */
    public Builder host(String host) {
      if (host.isBlank()) {
        throw new InvalidConfigurationException("webhook listener host must not be blank; use 0.0.0.0 for every interface");
      }
      this.host = host;
      return this;
    }

    /** The port to bind; 0 lets the system choose a free one (read it with {@link WebhookListener#port()}). Required. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new InvalidConfigurationException("webhook listener port must be within 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** Mounts {@code handler} under {@code pathPrefix} (starting with {@code /}). */
    public Builder route(String pathPrefix, WebhookHandler handler) {
      Objects.requireNonNull(handler, "handler");
      String prefix;
      try {
        prefix = WebhookRoutes.normalize(pathPrefix);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationException(e.getMessage());
      }
      for (WebhookRoutes.Route route : routes) {
        if (route.prefix().equals(prefix)) {
          throw new InvalidConfigurationException("two webhook handlers are routed to " + prefix + "; give each its own path");
        }
      }
      routes.add(new WebhookRoutes.Route(prefix, handler));
      return this;
    }

    /** The largest request body accepted; larger ones get 413. Default 2 MiB. */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
        throw new InvalidConfigurationException("maxBodyBytes must be within 0.." + (Integer.MAX_VALUE - 8) + ", was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** How long a handler may take before the platform gets 503; default 10 s. */
    public Builder responseTimeout(Duration timeout) {
      this.responseTimeout = positive(timeout, "responseTimeout");
      return this;
    }

    /** How long {@link WebhookListener#stop()} waits for requests in flight; default 5 s. */
    public Builder stopTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "stopTimeout");
      if (timeout.isNegative()) {
        throw new InvalidConfigurationException("stopTimeout must not be negative, was " + timeout);
      }
      this.stopTimeout = timeout;
      return this;
    }

    /** Threads that read request bodies; default 2. Handlers run on their own schedulers. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new InvalidConfigurationException("webhook listener threads must be at least 1, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Where the response and stop timeouts run; default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The listener, not yet started.
     *
     * @throws InvalidConfigurationException when no port was given
     */
    public WebhookListener build() {
      Integer chosen = port;
      if (chosen == null) {
        throw new InvalidConfigurationException("webhook listener port is not set; call port(8443), or port(0) for any free port");
      }
      return new WebhookListener(this, chosen);
    }

    private static Duration positive(Duration duration, String what) {
      Objects.requireNonNull(duration, what);
      if (duration.isNegative() || duration.isZero()) {
        throw new InvalidConfigurationException(what + " must be positive, was " + duration);
      }
      return duration;
    }
  }
}
